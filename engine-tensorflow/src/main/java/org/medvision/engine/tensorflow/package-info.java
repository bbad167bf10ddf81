/**
 * The TensorFlow Java engine: lowers an IR {@link org.medvision.api.graph.Graph} once into a TensorFlow graph and runs
 * it in a session, on the CPU or, with the {@code -Pcuda} native build, on CUDA.
 *
 * <p>The IR is channels-first, TensorFlow's CPU kernels are fastest channels-last; the lowering tracks each value's
 * storage layout ({@code Layout}) so that data is transposed only where an op depends on the IR's element order.
 * Parameters come from a {@code ParameterSource}: for inference, resource variables assigned once at compile time
 * and stored in the layout their readers want; for training, reads of the session's resource variables.
 * {@link org.medvision.engine.tensorflow.TensorFlowEngineProvider} is the service entry point.
 */
package org.medvision.engine.tensorflow;
