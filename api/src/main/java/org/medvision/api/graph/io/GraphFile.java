package org.medvision.api.graph.io;

import org.medvision.api.graph.Graph;
import org.medvision.api.weights.Weights;

/**
 * The contents of a {@code .graph} file.
 *
 * @param graph the validated graph
 * @param weights one tensor per graph parameter, in the graph's parameter order, with the weights' own metadata
 *     (the format's reserved keys removed) and the file as source
 */
public record GraphFile(Graph graph, Weights weights) {}
