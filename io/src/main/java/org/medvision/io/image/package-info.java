/**
 * Raster images (PNG, JPEG, BMP) to float tensors: {@link org.medvision.io.image.Images} decodes a file into
 * [C, H, W] values in [0, 1], {@link org.medvision.io.image.ImagePreprocessor} resizes, adapts channels, normalises
 * and batches them as a task's {@link org.medvision.api.task.ImagePreprocessing} asks.
 */
package org.medvision.io.image;
