/**
 * Composable model parts, each a named plugin found with {@link java.util.ServiceLoader}: encoders turn images into
 * feature vectors, fusions combine several feature vectors, heads map features to task outputs. Each emits IR nodes
 * into a {@link org.medvision.api.graph.GraphBuilder} under the caller's name scope.
 */
package org.medvision.api.model;
