package org.medvision.api.pipeline;

/**
 * One typed result of one example. Writers dispatch on the type: probabilities go into a structured report, masks
 * and detections into a segmentation, maps and generated images into overlays and NIfTI volumes.
 */
public sealed interface Prediction
    permits ClassProbabilities, LabelProbabilities, SpatialMap, GeneratedImage, Detections {}
