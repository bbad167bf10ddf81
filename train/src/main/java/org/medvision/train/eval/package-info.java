/**
 * Evaluation of a trained classifier on a data-set split: per-image probabilities from any engine, the metrics of
 * {@link org.medvision.api.metrics.ClassificationMetrics} with bootstrap confidence intervals, the
 * {@code predictions.json} file, and McNemar's test between two prediction files on the same images.
 */
package org.medvision.train.eval;
