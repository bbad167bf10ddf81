/**
 * Engine-neutral training: what a training graph is, how optimisers update parameters, and the session an engine
 * offers to run forward, backward and update steps. Every training engine implements exactly these semantics, so
 * the same seed, data and initial weights give the same training on each.
 */
package org.medvision.api.training;
