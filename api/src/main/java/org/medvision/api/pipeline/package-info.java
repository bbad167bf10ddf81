/**
 * Prediction as tasks declare it: a {@link org.medvision.api.pipeline.Pipeline} runs named graph stages (through a
 * {@link org.medvision.api.pipeline.StageRunner} the runtime or trainer supplies) with whatever Java a task needs in
 * between, and returns typed {@link org.medvision.api.pipeline.Prediction}s per example, which writers turn into
 * DICOM SR, SEG, overlays and NIfTI and metric suites score. Engines never appear here.
 */
package org.medvision.api.pipeline;
