package org.medvision.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Op;
import org.medvision.api.training.Precision;

/**
 * The autocast policy of a mixed-precision training session, and its execution.
 *
 * <p><b>Policy</b> (in the spirit of {@code torch.autocast}, but one list for every device): the products of
 * {@link Op#CONV}, {@link Op#MATMUL} and {@link Op#GEMM} are computed in the low-precision dtype (bfloat16 or
 * float16) from their float32 operands, which libtorch casts on the fly (float32 parameters are cast once per forward
 * pass and the copies dropped afterwards, see {@link #endForward}); each product is brought back to float32 at once.
 * Everything else (bias addition and α/β of GEMM, normalisations, softmax, activations, pooling, losses, reductions)
 * therefore sees float32 inputs and computes in float32, exactly as in a float32 session, and so do the backward
 * pass outside those products, the gradient accumulators, the master weights and the optimiser. Convolution keeps
 * its bias inside the low-precision kernel, as libtorch's fused convolution does. Inference ({@code infer}, compiled
 * models) always runs in float32.
 */
final class MixedPrecision {
  /** The ops whose products run in the low-precision dtype. */
  static final Set<Op> LOW_PRECISION_OPS = Collections.unmodifiableSet(EnumSet.of(Op.CONV, Op.MATMUL, Op.GEMM));

  private final Precision precision;
  private final TorchAutocast autocast;
  private final int deviceType;
  private final String device;

  private MixedPrecision(Precision precision, TorchAutocast autocast, ai.djl.Device device) {
    this.precision = precision;
    this.autocast = autocast;
    this.deviceType = device.isGpu() ? TorchAutocast.CUDA : TorchAutocast.CPU;
    this.device = device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
  }

  /**
   * The policy for {@code precision} on {@code device}, or {@code null} for {@link Precision#FLOAT32}.
   *
   * @throws EngineException when libtorch's autocast cannot be bound
   */
  static MixedPrecision of(Precision precision, ai.djl.Device device) {
    if (precision == Precision.FLOAT32) {
      return null;
    }
    return new MixedPrecision(precision, TorchAutocast.bind(), device);
  }

  /** BF16_MIXED or FP16_MIXED. */
  Precision precision() {
    return precision;
  }

  /** The low-precision dtype's name, {@code bfloat16} or {@code float16}. */
  String dtypeName() {
    return precision == Precision.BF16_MIXED ? "bfloat16" : "float16";
  }

  /** The device for messages, e.g. {@code cpu} or {@code cuda:0}. */
  String device() {
    return device;
  }

  /**
   * Computes {@code product} in the low-precision dtype and returns it as float32.
   *
   * @param where the node, for messages
   * @throws EngineException naming the node, the dtype and the device when libtorch fails (typically: no kernel for
   *     this dtype on this device)
   */
  NDArray compute(NDManager scope, String where, Supplier<NDArray> product) {
    NDArray low;
    try {
      low = autocast.run(deviceType, precision == Precision.BF16_MIXED ? TorchAutocast.BFLOAT16 : TorchAutocast.HALF,
          product);
    } catch (MedvisionException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EngineException(where + " failed in " + dtypeName() + " on " + device + " (libtorch may lack a "
          + dtypeName() + " kernel for it there; train in FLOAT32 or another precision): " + e.getMessage(), e);
    }
    return toFloat32(scope, low);
  }

  /**
   * {@code low} as float32 through type promotion (adding a float32 zero of rank 0 or 1), because DJL's
   * {@code toType} is not recorded by autograd. Adding +0 changes no value; a float32 array is returned as it is.
   */
  static NDArray toFloat32(NDManager scope, NDArray low) {
    if (low.getDataType() == DataType.FLOAT32) {
      return low;
    }
    // A rank-0 operand would not promote a dimensioned one, and a rank-1 one would give a scalar product rank 1.
    NDArray zero = scope.zeros(low.getShape().dimension() == 0 ? new Shape() : new Shape(1), DataType.FLOAT32);
    return low.add(zero);
  }

  /** Drops libtorch's per-thread cache of cast parameters; call after each forward pass, also a failed one. */
  void endForward() {
    autocast.clearCache();
  }

  @Override
  public String toString() {
    return dtypeName() + " autocast on " + device;
  }
}
