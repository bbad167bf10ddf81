/**
 * Image classification end to end: decode, preprocess, batch, run a compiled task model, read class probabilities.
 * Engine-neutral: it sees only the api's {@link org.medvision.api.engine.Engine}.
 */
package org.medvision.io.classify;
