package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.engine.onnx.nodetest.CaseResult;
import org.medvision.engine.onnx.nodetest.CaseStatus;
import org.medvision.engine.onnx.nodetest.ConformanceReport;
import org.medvision.engine.onnx.nodetest.NodeTestCase;
import org.medvision.engine.onnx.nodetest.NodeTestCases;
import org.medvision.engine.onnx.nodetest.NodeTestOracle;
import org.medvision.engine.onnx.nodetest.Tolerance;

/**
 * {@code medvision conformance}: ONNX's own operator tests run on each engine, one table of pass/fail/unsupported
 * counts and the largest error per operator and engine; exit code 1 when a supported case fails.
 */
public final class ConformanceCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command taking its engines from {@code medvision}. */
  @Inject
  public ConformanceCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "conformance";
  }

  @Override
  public String summary() {
    return "run ONNX's operator node tests on each engine: pass/fail/unsupported and max error per op";
  }

  @Override
  public String description() {
    return "Runs the single-node test cases of ONNX (Debian package libonnx-testdata, folder data/node) whose "
        + "operator mirrors an IR op on each engine: every case is imported into the IR with its inputs, compiled, "
        + "run on every data set and compared with ONNX's expected outputs (floats within 1e-5 relative + 1e-6 "
        + "absolute, integers exactly). Prints one row per ONNX operator: cases, then per engine passed/failed/"
        + "unsupported counts and the largest absolute error. Unsupported cases use something deliberately "
        + "outside the IR or the engine (an attribute value, a dtype); --details lists each with its reason, and "
        + "every failed case with what differed. Exit code 1 when any supported case fails on any engine. The "
        + "data folder defaults to where .ci/testdata or apt put libonnx-testdata.";
  }

  @Override
  public List<String> examples() {
    return List.of("conformance --engine all", "conformance --engine onnx,tensorflow --ops Conv,Gemm --details",
        "conformance --engine djl --data /usr/share/libonnx-testdata/data/node --json");
  }

  @Override
  public Options options() {
    Options o = EngineOptions.add(new Options());
    o.getOption("engine").setDescription("engines to test: one name, a comma list or 'all' (default: all)");
    return o.addOption(Args.valued("data", "DIR", "the node-test folder (default: libonnx-testdata's data/node under "
            + "$MEDVISION_TESTDATA, ~/.cache/medvision/testdata or /usr/share)"))
        .addOption(Args.valued("ops", "LIST", "only these ONNX operators, comma-separated, e.g. Conv,Relu "
            + "(default: every operator the IR mirrors)"))
        .addOption(Args.flag("details", "list unsupported cases with reasons, failed cases with differences, and "
            + "the case folders not selected"))
        .addOption(Args.flag("json", "print JSON with every case instead of the table"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    Medvision mv = medvision.get();
    List<String> engines = EngineSelection.names(Args.string(line, "engine", EngineSelection.ALL), mv);
    CompileOptions options = EngineOptions.compileOptions(line);
    Path data = NodeTestData.resolve(Args.path(line, "data"), System.getenv(), Path.of(System.getProperty(
        "user.home")));
    NodeTestCases found = NodeTestCases.discover(data);
    List<NodeTestCase> cases = select(found.selected(), line.getOptionValue("ops"));
    Tolerance tolerance = Tolerance.float32();
    List<ConformanceReport> reports = new ArrayList<>();
    for (String name : engines) {
      try (Engine engine = mv.engine(name);
          ProgressBar bar = ctx.progress("conformance " + name, cases.size())) {
        List<CaseResult> results = new ArrayList<>();
        for (NodeTestCase c : cases) {
          results.add(NodeTestOracle.runCase(c, engine, tolerance, options));
          bar.update(results.size());
        }
        reports.add(new ConformanceReport(engine.name(), engine.version(), tolerance, results, found.excluded()));
      }
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(json(data, tolerance, reports, found)));
    } else {
      text(ctx.out(), data, tolerance, reports, found, line.hasOption("details"));
    }
    boolean clean = reports.stream().allMatch(ConformanceReport::allSupportedPassed);
    return clean ? ExitCodes.OK : ExitCodes.RUNTIME_ERROR;
  }

  /** The cases of the operators {@code ops} names (all when null), each name checked. */
  private static List<NodeTestCase> select(List<NodeTestCase> all, String ops) {
    if (ops == null) {
      return all;
    }
    Set<String> wanted = new LinkedHashSet<>();
    Set<String> present = new TreeSet<>();
    for (NodeTestCase c : all) {
      present.add(c.operator());
    }
    for (String op : ops.split(",", -1)) {
      String o = op.trim();
      if (!present.contains(o)) {
        throw new UsageException("--ops: no selected test case exercises '" + o + "'; operators with cases: "
            + String.join(", ", present));
      }
      wanted.add(o);
    }
    return all.stream().filter(c -> wanted.contains(c.operator())).toList();
  }

  /** {@code [passed, failed + errors, unsupported]} of {@code results}. */
  private static int[] counts(List<CaseResult> results) {
    int[] n = new int[3];
    for (CaseResult r : results) {
      if (r.status() == CaseStatus.PASSED) {
        n[0]++;
      } else if (r.status() == CaseStatus.UNSUPPORTED) {
        n[2]++;
      } else {
        n[1]++;
      }
    }
    return n;
  }

  private static double maxError(List<CaseResult> results) {
    double max = Double.NaN;
    for (CaseResult r : results) {
      if (!Double.isNaN(r.maxAbsError())) {
        max = Double.isNaN(max) ? r.maxAbsError() : Math.max(max, r.maxAbsError());
      }
    }
    return max;
  }

  private static String error(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.1e", v);
  }

  /** Each report's results grouped by operator, operators sorted. */
  private static Map<String, Map<String, List<CaseResult>>> byOperator(List<ConformanceReport> reports) {
    Map<String, Map<String, List<CaseResult>>> out = new TreeMap<>();
    for (ConformanceReport report : reports) {
      for (CaseResult r : report.cases()) {
        out.computeIfAbsent(r.operator(), k -> new LinkedHashMap<>())
            .computeIfAbsent(report.engine(), k -> new ArrayList<>()).add(r);
      }
    }
    return out;
  }

  private static void text(PrintStream out, Path data, Tolerance tolerance, List<ConformanceReport> reports,
      NodeTestCases found, boolean details) {
    out.println("ONNX node tests from " + data + ": " + (found.selected().size() + found.excluded().size())
        + " case folders, " + found.selected().size() + " test an operator the IR mirrors");
    out.println("tolerance " + tolerance.relative() + " relative + " + tolerance.absolute()
        + " absolute for floats, exact for integers and bools; cells are passed/failed/unsupported");
    out.println();
    List<String> header = new ArrayList<>(List.of("operator", "IR op", "cases"));
    for (ConformanceReport r : reports) {
      header.add(r.engine() + " p/f/u");
      header.add(r.engine() + " max err");
    }
    Table t = new Table(header.toArray(new String[0]));
    Map<String, ConformanceReport.OpSummary> irOps = new LinkedHashMap<>();
    reports.get(0).summary().forEach(s -> irOps.put(s.operator(), s));
    byOperator(reports).forEach((op, perEngine) -> {
      List<Object> row = new ArrayList<>();
      row.add(op);
      row.add(irOps.containsKey(op) ? irOps.get(op).irOp() : "?");
      row.add(perEngine.values().iterator().next().size());
      for (ConformanceReport r : reports) {
        List<CaseResult> results = perEngine.getOrDefault(r.engine(), List.of());
        int[] n = counts(results);
        row.add(n[0] + "/" + n[1] + "/" + n[2]);
        row.add(error(maxError(results)));
      }
      t.row(row.toArray());
    });
    List<Object> total = new ArrayList<>(List.of("total", "", reports.get(0).cases().size()));
    for (ConformanceReport r : reports) {
      int[] n = counts(r.cases());
      total.add(n[0] + "/" + n[1] + "/" + n[2]);
      total.add(error(maxError(r.cases())));
    }
    t.row(total.toArray());
    t.print(out);
    out.println();
    for (ConformanceReport r : reports) {
      int[] n = counts(r.cases());
      out.println(r.engine() + " (" + r.engineVersion() + "): " + n[0] + " passed, " + n[1] + " failed, " + n[2]
          + " unsupported of " + r.cases().size() + " cases" + (n[1] == 0 ? "" : "  <-- FAILURES"));
    }
    if (!details) {
      out.println();
      out.println("--details lists the unsupported cases with their reasons and every failure");
      return;
    }
    for (ConformanceReport r : reports) {
      for (CaseStatus status : new CaseStatus[] {CaseStatus.FAILED, CaseStatus.ERROR, CaseStatus.UNSUPPORTED}) {
        List<CaseResult> list = r.withStatus(status);
        if (!list.isEmpty()) {
          out.println();
          out.println(r.engine() + ", " + status.name().toLowerCase(Locale.ROOT) + " (" + list.size() + "):");
          for (CaseResult c : list) {
            out.println("  " + c.name() + " [" + c.operator() + "]: " + c.detail().replace("\n", " "));
          }
        }
      }
    }
    out.println();
    out.println("case folders not selected (" + found.excluded().size() + "):");
    found.excluded().forEach((name, reason) -> out.println("  " + name + ": " + reason));
  }

  private static Map<String, Object> json(Path data, Tolerance tolerance, List<ConformanceReport> reports,
      NodeTestCases found) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("data", data.toString());
    m.put("toleranceRelative", tolerance.relative());
    m.put("toleranceAbsolute", tolerance.absolute());
    List<Object> engines = new ArrayList<>();
    for (ConformanceReport r : reports) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("engine", r.engine());
      e.put("engineVersion", r.engineVersion());
      int[] n = counts(r.cases());
      e.put("passed", n[0]);
      e.put("failed", n[1]);
      e.put("unsupported", n[2]);
      e.put("allSupportedPassed", r.allSupportedPassed());
      List<Object> cases = new ArrayList<>();
      for (CaseResult c : r.cases()) {
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("name", c.name());
        cm.put("operator", c.operator());
        cm.put("status", c.status().name().toLowerCase(Locale.ROOT));
        cm.put("detail", c.detail());
        cm.put("maxAbsError", Double.isNaN(c.maxAbsError()) ? null : c.maxAbsError());
        cases.add(cm);
      }
      e.put("cases", cases);
      engines.add(e);
    }
    m.put("engines", engines);
    m.put("excluded", found.excluded());
    return m;
  }
}
