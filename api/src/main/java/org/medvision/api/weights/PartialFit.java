package org.medvision.api.weights;

/**
 * The outcome of {@link Weights#fitPartially}.
 *
 * @param weights every parameter of the graph, loaded or initialised
 * @param report what came from where
 */
public record PartialFit(Weights weights, FitReport report) {}
