package org.medvision.engine.onnx.nodetest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.medvision.engine.onnx.importer.OnnxImporter;

/**
 * The node-test results of one engine: every selected case with its status, and every case folder that was not
 * selected with the reason.
 *
 * @param engine the engine's registry name
 * @param engineVersion the engine's runtime version
 * @param tolerance the float tolerance the outputs were compared with
 * @param cases one result per selected case, in case-name order
 * @param excluded case folders not selected, by name, with the reason
 */
public record ConformanceReport(String engine, String engineVersion, Tolerance tolerance, List<CaseResult> cases,
    Map<String, String> excluded) {
  /** Copies the collections. */
  public ConformanceReport {
    cases = List.copyOf(cases);
    excluded = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(excluded));
  }

  /**
   * The results of one ONNX operator.
   *
   * @param operator ONNX operator type
   * @param irOp the IR op it maps to
   * @param cases number of cases
   * @param passed cases that passed
   * @param failed cases that failed
   * @param unsupported cases deliberately not supported
   * @param errors cases whose files could not be read or imported
   * @param maxAbsError largest absolute error over the compared cases; NaN when none was compared
   */
  public record OpSummary(String operator, String irOp, int cases, int passed, int failed, int unsupported,
      int errors, double maxAbsError) {}

  /** Per-operator counts, sorted by operator. */
  public List<OpSummary> summary() {
    Map<String, List<CaseResult>> byOp = new TreeMap<>();
    for (CaseResult r : cases) {
      byOp.computeIfAbsent(r.operator(), k -> new ArrayList<>()).add(r);
    }
    List<OpSummary> out = new ArrayList<>();
    byOp.forEach((op, results) -> {
      int[] n = new int[CaseStatus.values().length];
      double max = Double.NaN;
      for (CaseResult r : results) {
        n[r.status().ordinal()]++;
        if (!Double.isNaN(r.maxAbsError())) {
          max = Double.isNaN(max) ? r.maxAbsError() : Math.max(max, r.maxAbsError());
        }
      }
      String ir = OnnxImporter.operatorMapping().containsKey(op) ? OnnxImporter.operatorMapping().get(op).irName()
          : "?";
      out.add(new OpSummary(op, ir, results.size(), n[CaseStatus.PASSED.ordinal()], n[CaseStatus.FAILED.ordinal()],
          n[CaseStatus.UNSUPPORTED.ordinal()], n[CaseStatus.ERROR.ordinal()], max));
    });
    return out;
  }

  /** The cases with {@code status}. */
  public List<CaseResult> withStatus(CaseStatus status) {
    return cases.stream().filter(r -> r.status() == status).toList();
  }

  /** True when no case failed or errored (unsupported cases are listed, not failures). */
  public boolean allSupportedPassed() {
    return withStatus(CaseStatus.FAILED).isEmpty() && withStatus(CaseStatus.ERROR).isEmpty();
  }

  /**
   * The report as plain text: a header, one row per operator (cases, passed, failed, unsupported, errors, max abs
   * error), a total row, then every failed, erroneous and unsupported case with its reason, and the number of case
   * folders not selected.
   */
  public String renderTable() {
    StringBuilder sb = new StringBuilder();
    sb.append("ONNX node tests on engine '").append(engine).append("' (").append(engineVersion).append("), tolerance ")
        .append(format(tolerance.relative())).append(" relative + ").append(format(tolerance.absolute()))
        .append(" absolute for floats, exact for integers and bools\n");
    String row = "%-26s %-16s %6s %7s %7s %12s %7s %14s%n";
    sb.append(String.format(Locale.ROOT, row, "operator", "IR op", "cases", "passed", "failed", "unsupported",
        "errors", "max abs error"));
    int[] total = new int[5];
    double max = Double.NaN;
    for (OpSummary s : summary()) {
      sb.append(String.format(Locale.ROOT, row, s.operator(), s.irOp(), s.cases(), s.passed(), s.failed(),
          s.unsupported(), s.errors(), format(s.maxAbsError())));
      total[0] += s.cases();
      total[1] += s.passed();
      total[2] += s.failed();
      total[3] += s.unsupported();
      total[4] += s.errors();
      if (!Double.isNaN(s.maxAbsError())) {
        max = Double.isNaN(max) ? s.maxAbsError() : Math.max(max, s.maxAbsError());
      }
    }
    sb.append(String.format(Locale.ROOT, row, "total", "", total[0], total[1], total[2], total[3], total[4],
        format(max)));
    for (CaseStatus status : new CaseStatus[] {CaseStatus.FAILED, CaseStatus.ERROR, CaseStatus.UNSUPPORTED}) {
      List<CaseResult> list = withStatus(status);
      if (!list.isEmpty()) {
        sb.append('\n').append(status.name().toLowerCase(Locale.ROOT)).append(" (").append(list.size())
            .append("):\n");
        for (CaseResult r : list) {
          sb.append("  ").append(r.name()).append(" [").append(r.operator()).append("]: ")
              .append(r.detail().replace("\n", " ")).append('\n');
        }
      }
    }
    List<CaseResult> noted = cases.stream()
        .filter(r -> r.status() == CaseStatus.PASSED && !r.detail().isEmpty()).toList();
    if (!noted.isEmpty()) {
      sb.append("\npassed with notes (").append(noted.size()).append("):\n");
      for (CaseResult r : noted) {
        sb.append("  ").append(r.name()).append(" [").append(r.operator()).append("]: ").append(r.detail())
            .append('\n');
      }
    }
    sb.append('\n').append(excluded.size()).append(" other case folders not selected (operators without an IR "
        + "counterpart, multi-node tests); see excluded()\n");
    return sb.toString();
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3g", v);
  }
}
