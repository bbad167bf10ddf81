/**
 * The neutral graph IR: a closed, versioned op set ({@link org.medvision.api.graph.Op}), graphs of nodes over named
 * values, a builder, validation, shape inference and counting.
 *
 * <p>Every op mirrors one ONNX operator's semantics where ONNX has one; the differences are that values ONNX takes
 * as constant input tensors (reshape target, squeeze axes, dropout ratio) are attributes here.
 */
package org.medvision.api.graph;
