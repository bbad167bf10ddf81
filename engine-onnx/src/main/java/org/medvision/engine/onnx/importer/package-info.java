/**
 * Reads ONNX models (ai.onnx opset 13 to 22) into the IR: {@link org.medvision.engine.onnx.importer.OnnxImporter}
 * turns a {@code ModelProto} into a {@link org.medvision.api.graph.Graph} plus
 * {@link org.medvision.api.weights.Weights}, and {@link org.medvision.engine.onnx.importer.OnnxTensorFiles} reads
 * serialised {@code TensorProto} files such as the ONNX node tests' {@code input_0.pb}.
 */
package org.medvision.engine.onnx.importer;
