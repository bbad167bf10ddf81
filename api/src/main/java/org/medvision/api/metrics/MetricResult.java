package org.medvision.api.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a {@link MetricSuite} measured: scalar metrics with their confidence intervals, tables and figures for
 * reports, and the suite's own detailed object for renderers that know it.
 *
 * @param suite the suite's name
 * @param scalars metric key to value, in display order
 * @param labels metric key to a readable label (e.g. {@code auroc} to {@code AUROC})
 * @param intervals metric key to its bootstrap interval, where computed
 * @param tables report tables
 * @param figures report figures (curves and images)
 * @param details the suite's detailed result (e.g. {@link ClassificationMetrics}), or null
 */
public record MetricResult(String suite, Map<String, Double> scalars, Map<String, String> labels,
    Map<String, ConfidenceInterval> intervals, List<ReportTable> tables, List<ReportFigure> figures,
    Object details) {
  /** Copies everything, keeping orders. */
  public MetricResult {
    scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
    labels = Collections.unmodifiableMap(new LinkedHashMap<>(labels));
    intervals = Collections.unmodifiableMap(new LinkedHashMap<>(intervals));
    tables = List.copyOf(tables);
    figures = List.copyOf(figures);
  }

  /** The value of {@code key}, or NaN. */
  public double scalar(String key) {
    return scalars.getOrDefault(key, Double.NaN);
  }
}
