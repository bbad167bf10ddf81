/**
 * The DJL engine: runs and trains IR {@link org.medvision.api.graph.Graph}s by interpreting their nodes as eager DJL
 * NDArray calls on DJL's PyTorch engine (libtorch 2.7.1), on the CPU or, with a locally provided CUDA build of
 * libtorch, on CUDA.
 *
 * <p>{@link org.medvision.engine.djl.DjlEngineProvider} is the service entry point. Inference and training share one
 * interpreter; training adds the IR's training-mode semantics (batch statistics, dropout and drop-path masks), the
 * loss ops, autograd through DJL's gradient collector and our own AdamW/SGD updates, and optionally mixed precision
 * (libtorch's autocast switched on per low-precision product, float16 loss scaling; see
 * {@link org.medvision.engine.djl.MixedPrecision}).
 */
package org.medvision.engine.djl;
