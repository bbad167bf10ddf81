package org.medvision.api.task;

/**
 * One graph input a task expects.
 *
 * @param name graph input name
 * @param source which user-supplied item feeds it; inputs with the same source get the same tensor (StrokeNeXt feeds
 *     one image to both encoders)
 * @param preprocessing how to turn an image into this input
 */
public record InputSpec(String name, String source, ImagePreprocessing preprocessing) {}
