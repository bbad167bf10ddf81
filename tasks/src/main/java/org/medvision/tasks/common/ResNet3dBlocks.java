package org.medvision.tasks.common;

import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.Shape;

/**
 * The residual layers of {@link ResNet3d}: {@code layer<i>.<j>} blocks with Hara's parameter names.
 *
 * <p>BasicBlock: {@code conv1} (3×3×3, the block's stride), {@code bn1}, ReLU, {@code conv2} (3×3×3), {@code bn2}.
 * Bottleneck: {@code conv1} (1×1×1), {@code bn1}, ReLU, {@code conv2} (3×3×3, the block's stride), {@code bn2}, ReLU,
 * {@code conv3} (1×1×1 to 4× width), {@code bn3}. Both then add the shortcut and apply ReLU. Dilation applies to the
 * 3×3×3 convolutions of every block of a dilated layer, the first included, as in MedicalNet.
 */
final class ResNet3dBlocks {
  private ResNet3dBlocks() {}

  /**
   * Emits layer {@code layer} (1 to 4) under {@code layer<layer>}.
   *
   * @param x the previous layer's output with {@code inChannels} channels
   */
  static Value layer(GraphBuilder b, ResNet3dConfig c, int layer, int inChannels, Value x) {
    return b.within("layer" + layer, () -> {
      int planes = c.planes(layer);
      int outChannels = planes * c.expansion();
      Value y = x;
      int in = inChannels;
      for (int j = 0; j < c.blocks(layer); j++) {
        int stride = j == 0 ? c.stride(layer) : 1;
        y = block(b, c, String.valueOf(j), in, planes, stride, c.dilation(layer), y);
        in = outChannels;
      }
      return y;
    });
  }

  private static Value block(GraphBuilder b, ResNet3dConfig c, String name, int in, int planes, int stride,
      int dilation, Value x) {
    return b.within(name, () -> {
      int out = planes * c.expansion();
      Value y;
      if (c.bottleneck()) {
        y = convBn(b, "1", ResNet3dConv.cubic(in, planes, 1, 1, 1), x);
        y = Activations.relu(b, y);
        y = convBn(b, "2", ResNet3dConv.cubic(planes, planes, 3, stride, dilation), y);
        y = Activations.relu(b, y);
        y = convBn(b, "3", ResNet3dConv.cubic(planes, out, 1, 1, 1), y);
      } else {
        y = convBn(b, "1", ResNet3dConv.cubic(in, planes, 3, stride, dilation), x);
        y = Activations.relu(b, y);
        y = convBn(b, "2", ResNet3dConv.cubic(planes, planes, 3, 1, dilation), y);
      }
      // Hara's _make_layer: only a block that changes the stride or the width gets a downsample path.
      Value residual = stride != 1 || in != out ? shortcut(b, c.shortcut(), in, out, stride, x) : x;
      return Activations.relu(b, b.apply(Op.ADD, y, residual));
    });
  }

  private static Value convBn(GraphBuilder b, String index, ResNet3dConv conv, Value x) {
    Value y = conv.apply(b, "conv" + index, x);
    return new BatchNorm3d((int) y.shape().dim(1)).apply(b, "bn" + index, y);
  }

  private static Value shortcut(GraphBuilder b, ResNet3dShortcut type, int in, int out, int stride, Value x) {
    if (type == ResNet3dShortcut.B) {
      return b.within("downsample", () -> {
        Value y = ResNet3dConv.cubic(in, out, 1, stride, 1).apply(b, "0", x);
        return new BatchNorm3d(out).apply(b, "1", y);
      });
    }
    // Option A: out[:, o] = x[:, o, ::s, ::s, ::s] for o < in and 0 beyond, which is what avg_pool3d(kernel 1,
    // stride s) followed by concatenating zero channels computes. A 1x1x1 convolution with a fixed 0/1 weight gives
    // exactly that (each output is one product x·1 plus zeros), with no parameter and no batch-size-dependent zeros.
    float[] identity = new float[out * in];
    for (int o = 0; o < in; o++) {
      identity[o * in + o] = 1f;
    }
    Value w = b.constant(Shape.of(out, in, 1, 1, 1), identity);
    Attributes strides = Attributes.builder().set("strides", (long) stride, stride, stride).build();
    return b.apply(Op.CONV, strides, x, w);
  }
}
