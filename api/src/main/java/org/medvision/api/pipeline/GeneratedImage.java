package org.medvision.api.pipeline;

import org.medvision.api.tensor.Tensor;

/**
 * An image the model made (e.g. a predicted follow-up scan), float32 {@code [C, H, W]} or {@code [C, D, H, W]} in the
 * value range of its input field after preprocessing.
 *
 * @param image the image, without a batch axis
 * @param alignedTo the input field whose space it shares
 */
public record GeneratedImage(Tensor image, String alignedTo) implements Prediction {}
