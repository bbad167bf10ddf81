/**
 * Engine-neutral checks of training: a host-side reference optimiser and the conformance suites every training engine
 * runs, split by concern: {@link org.medvision.testkit.training.GradientConformanceSuite} (gradients against finite
 * differences of the reference interpreter, loss terms, per-term gradient norms),
 * {@link org.medvision.testkit.training.OptimizerConformanceSuite} (optimiser steps, state, parameter groups, a
 * learning check) and {@link org.medvision.testkit.training.TrainingSessionConformanceSuite} (BatchNorm statistics,
 * random masks, inference, error paths).
 */
package org.medvision.testkit.training;
