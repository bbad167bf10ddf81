/**
 * The ONNX Runtime engine: lowers an IR {@link org.medvision.api.graph.Graph} to an ONNX model (opset 20) and runs it
 * in an ONNX Runtime session on the CPU or, with the {@code onnxruntime_gpu} artifact, on CUDA.
 *
 * <p>{@link org.medvision.engine.onnx.OnnxEngineProvider} is the service entry point;
 * {@link org.medvision.engine.onnx.OnnxExporter} writes the same ONNX model to a file for other runtimes.
 */
package org.medvision.engine.onnx;
