/**
 * Engine-neutral checks of training: a host-side reference optimiser and the conformance suite every training engine
 * runs (gradients against finite differences of the reference interpreter, BatchNorm statistics, optimiser steps,
 * random masks, a learning check, error paths).
 */
package org.medvision.testkit.training;
