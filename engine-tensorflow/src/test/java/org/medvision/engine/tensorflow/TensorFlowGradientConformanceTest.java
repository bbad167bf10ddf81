package org.medvision.engine.tensorflow;

import org.medvision.api.engine.Engine;
import org.medvision.testkit.training.GradientConformanceSuite;

/**
 * The shared gradient suite (every gradient case against finite differences, under garbage-collection pressure too,
 * named loss terms and their per-term gradient norms) on TensorFlow's CPU build.
 */
class TensorFlowGradientConformanceTest extends GradientConformanceSuite {
  @Override
  protected Engine createEngine() {
    return new TensorFlowEngineProvider().create();
  }
}
