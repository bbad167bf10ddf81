package org.medvision.tasks.common;

import java.util.Arrays;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/**
 * 3-D ResNets (Hara, Kataoka, Satoh, "Can spatiotemporal 3D CNNs retrace the history of 2D CNNs and ImageNet?", CVPR
 * 2018; {@code kenshohara/3D-ResNets-PyTorch}) and MedicalNet's dilated variant (Chen, Ma, Zheng, "Med3D: transfer
 * learning for 3D medical image analysis", arXiv 1904.00625; {@code Tencent/MedicalNet}), with their state-dict names.
 *
 * <p>{@link #features} emits the backbone and returns the layer4 feature map, for heads that need the spatial map
 * (DSA-Net's attention); {@link #classifier} adds Hara's {@code avgpool} and {@code fc}. Parameters are declared
 * under the builder's current scope, in state-dict order:
 *
 * <pre>
 * conv1.weight                          [64, Cin, t, 7, 7]
 * bn1.{weight, bias, running_mean, running_var}
 * layer{1..4}.{j}.conv1.weight, .bn1.*, .conv2.weight, .bn2.*   (Bottleneck adds .conv3.weight, .bn3.*)
 * layer{i}.0.downsample.0.weight        [out, in, 1, 1, 1]  (shortcut B, first block of a layer that changes
 * layer{i}.0.downsample.1.*                                   the stride or width; shortcut A has no parameters)
 * fc.weight [n, 512·expansion], fc.bias [n]                 (only with {@link #classifier})
 * </pre>
 *
 * <p>BatchNorm's {@code num_batches_tracked} counters are not declared; {@link ResNet3dKeyMaps} drops them from
 * checkpoints, together with the {@code module.} prefix and MedicalNet's {@code conv_seg} head. Initialisation is
 * Hara's: convolutions {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}, batch norms weight 1 and bias 0
 * (momentum 0.1 and eps 1e-5 as PyTorch's defaults), {@code fc} PyTorch's {@code nn.Linear} default.
 *
 * <pre>{@code
 * ResNet3d net = new ResNet3d(ResNet3dConfig.hara(34));
 * Value volume = b.input("volume", DType.FLOAT32, Shape.of(-1, 1, 128, 224, 224));
 * Value f = net.features(b, volume);                 // [N, 512, 8, 7, 7]
 * Value logits = net.classifier(b, f, 2);            // [N, 2], parameters fc.weight, fc.bias
 * }</pre>
 *
 * <p>Immutable; one instance can emit any number of networks.
 */
public final class ResNet3d {
  private static final int STEM_WIDTH = 64;

  private final ResNet3dConfig config;

  /** A network of shape {@code config}. */
  public ResNet3d(ResNet3dConfig config) {
    if (config == null) {
      throw new IllegalArgumentException("3-D ResNet: config must not be null");
    }
    this.config = config;
  }

  /** The configuration this network is built from. */
  public ResNet3dConfig config() {
    return config;
  }

  /** Channels of the layer4 map: 512, or 2048 for the Bottleneck depth 50. */
  public int featureChannels() {
    return config.featureChannels();
  }

  /**
   * Emits {@code conv1}, {@code bn1}, ReLU, the max pool (unless {@code noMaxPool}) and {@code layer1}..{@code layer4}.
   *
   * @param volume [N, inputChannels, D, H, W] float32; each known spatial extent must be at least
   *     {@link ResNet3dConfig#totalStride()} on its axis
   * @return the layer4 feature map [N, featureChannels, D', H', W'], with D' = ⌈D / 16⌉, H' = ⌈H / 32⌉,
   *     W' = ⌈W / 32⌉ for Hara's defaults and ⌈· / 8⌉ on every axis for MedicalNet's layout (see
   *     {@link #featureShape})
   * @throws MedvisionException if {@code volume} is not 5-D, has the wrong channel count, or is smaller than the
   *     network's total stride
   */
  public Value features(GraphBuilder b, Value volume) {
    checkInput(b, volume);
    Value x = ResNet3dConv.stem(config.inputChannels(), STEM_WIDTH, config.conv1TSize(), config.conv1TStride())
        .apply(b, "conv1", volume);
    x = new BatchNorm3d(STEM_WIDTH).apply(b, "bn1", x);
    x = Activations.relu(b, x);
    if (!config.noMaxPool()) {
      Attributes pool = Attributes.builder().set("kernel_shape", 3L, 3L, 3L).set("strides", 2L, 2L, 2L)
          .set("pads", 1L, 1L, 1L, 1L, 1L, 1L).build();
      x = b.apply(Op.MAX_POOL, pool, x);
    }
    int channels = STEM_WIDTH;
    for (int layer = 1; layer <= 4; layer++) {
      x = ResNet3dBlocks.layer(b, config, layer, channels, x);
      channels = config.planes(layer) * config.expansion();
    }
    return x;
  }

  /**
   * Hara's head on a layer4 map: {@code avgpool} (global average over D', H', W'), flatten, and {@code fc}, a
   * {@code nn.Linear(featureChannels, numClasses)} with PyTorch's default initialisation.
   *
   * @param features [N, featureChannels, D', H', W'] from {@link #features}
   * @return logits [N, numClasses]
   * @throws IllegalArgumentException if {@code numClasses} is not positive
   * @throws MedvisionException if {@code features} does not have featureChannels channels
   */
  public Value classifier(GraphBuilder b, Value features, int numClasses) {
    InputChecks.require(b.qualify("avgpool"), features, 5, 1, featureChannels(),
        "[N, " + featureChannels() + ", D, H, W]");
    Value pooled = b.apply(Op.FLATTEN, b.apply(Op.GLOBAL_AVG_POOL, features));
    return Linear.pytorchDefault(featureChannels(), numClasses).apply(b, "fc", pooled);
  }

  /**
   * The shape {@link #features} returns for an input of shape {@code input}, from the convolution and pooling size
   * rule (dynamic extents stay dynamic). For an odd {@code conv1TSize} each spatial extent is the input's divided by
   * {@link ResNet3dConfig#totalStride()}, rounded up.
   *
   * @param input [N, inputChannels, D, H, W]
   * @throws MedvisionException as {@link #features} does for an unusable input shape
   */
  public Shape featureShape(Shape input) {
    checkShape("input", input);
    long[] out = {input.dim(0), featureChannels(), 0, 0, 0};
    long[] stemKernel = {config.conv1TSize(), 7, 7};
    long[] stemStride = {config.conv1TStride(), 2, 2};
    for (int axis = 0; axis < 3; axis++) {
      long n = input.dim(axis + 2);
      if (n == Shape.DYNAMIC) {
        out[axis + 2] = n;
        continue;
      }
      n = (n + 2 * (stemKernel[axis] / 2) - stemKernel[axis]) / stemStride[axis] + 1;
      if (!config.noMaxPool()) {
        n = (n - 1) / 2 + 1;
      }
      for (int layer = 1; layer <= 4; layer++) {
        // 3x3x3 convolutions pad by their dilation and 1x1x1 ones by 0, so every stride s maps n to ceil(n / s).
        n = (n - 1) / config.stride(layer) + 1;
      }
      out[axis + 2] = n;
    }
    return Shape.of(out);
  }

  private void checkInput(GraphBuilder b, Value volume) {
    InputChecks.require(b.qualify("conv1"), volume, 5, 1, config.inputChannels(),
        "[N, " + config.inputChannels() + ", D, H, W]");
    checkShape("input '" + volume.name() + "'", volume.shape());
  }

  private void checkShape(String what, Shape s) {
    if (s.rank() != 5 || (s.dim(1) != Shape.DYNAMIC && s.dim(1) != config.inputChannels())) {
      throw new MedvisionException(config.modelName() + ": " + what + " must be [N, " + config.inputChannels()
          + ", D, H, W], got " + s);
    }
    int[] minimum = config.totalStride();
    for (int axis = 0; axis < 3; axis++) {
      long n = s.dim(axis + 2);
      // Smaller inputs still give a 1-voxel map, but one whose receptive field is mostly zero padding; for DSA-Net's
      // attention over the layer4 grid that is a misconfiguration, not a model.
      if (n != Shape.DYNAMIC && n < minimum[axis]) {
        throw new MedvisionException(config.modelName() + ": " + what + " " + s + " is too small; each spatial "
            + "extent (D, H, W) must be at least the network's total stride " + Arrays.toString(minimum));
      }
    }
  }
}
