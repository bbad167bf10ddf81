/**
 * Evaluation reports: {@code metrics.json} (metrics, confidence intervals, optional McNemar comparison,
 * provenance), {@code predictions.json}, PNG plots drawn with JFreeChart (ROC, precision-recall, reliability
 * diagram, confusion matrix) and a self-contained {@code report.html} that embeds them, written atomically into one
 * report directory.
 */
package org.medvision.train.report;
