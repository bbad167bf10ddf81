/**
 * Classification metrics computed on the JVM from labels and class probabilities, independent of any engine.
 *
 * <p>{@link org.medvision.api.metrics.ClassificationMetrics#compute} is the entry point: it validates one prediction
 * set ({@link org.medvision.api.metrics.Predictions}) and derives the confusion matrix, per-class and averaged scores,
 * ranking metrics (AUROC, average precision) with their curves, the Brier score and the expected calibration error.
 * {@link org.medvision.api.metrics.McNemar} compares two classifiers on the same samples and
 * {@link org.medvision.api.metrics.Bootstrap} gives percentile confidence intervals. Every result has a
 * {@code toMap()} view of strings, numbers, lists and maps for JSON writers, with undefined values as {@code null}.
 *
 * <p>{@link org.medvision.api.metrics.MetricSuite}s turn pipeline results into these metrics for the trainer and
 * reports: {@link org.medvision.api.metrics.ClassificationSuite} (one label per example),
 * {@link org.medvision.api.metrics.MultiLabelSuite} (independent labels, e.g. ChestX-ray14's 14 findings) and
 * {@link org.medvision.api.metrics.MapOverlapSuite} (a spatial map against a mask).
 *
 * <p>Conventions shared by the package: the predicted class is the arg-max of a probability row, ties going to the
 * lowest class index; a ratio whose denominator is zero is 0 (scikit-learn's {@code zero_division=0}) except where a
 * metric's documentation says it is {@code NaN}; in a binary problem (two classes) the positive class is index 1.
 */
package org.medvision.api.metrics;
