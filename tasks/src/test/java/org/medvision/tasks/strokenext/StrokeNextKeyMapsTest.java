package org.medvision.tasks.strokenext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.WeightMismatchException;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.ConvNextEncoder;
import org.medvision.tasks.common.ConvNextKeyMaps;

/**
 * Builds torchvision-named checkpoints from our own random weights with an inverse mapping written here (string
 * surgery, not the map's regular expressions), and checks the key maps restore names, shapes and values exactly.
 */
class StrokeNextKeyMapsTest {
  /** Our timm-style encoder-relative name to torchvision's {@code features} name. */
  private static String torchvisionName(String timm) {
    String[] p = timm.split("\\.");
    switch (p[0]) {
      case "stem":
        return "features.0." + p[1] + "." + p[2];
      case "stages": {
        int k = Integer.parseInt(p[1]);
        if (p[2].equals("downsample")) {
          return "features." + (2 * k) + "." + p[3] + "." + p[4];
        }
        String block = "features." + (2 * k + 1) + "." + p[3] + ".";
        switch (p[4]) {
          case "gamma": return block + "layer_scale";
          case "conv_dw": return block + "block.0." + p[5];
          case "norm": return block + "block.2." + p[5];
          case "mlp": return block + "block." + (p[5].equals("fc1") ? 3 : 5) + "." + p[6];
          default: throw new AssertionError(timm);
        }
      }
      default:
        throw new AssertionError(timm);
    }
  }

  /** Layer scales are stored as [C, 1, 1] by torchvision. */
  private static Tensor torchvisionTensor(String timm, Tensor t) {
    return timm.endsWith(".gamma") ? t.reshape(Shape.of(t.shape().dim(0), 1, 1)) : t;
  }

  private static void assertSameTensors(Weights expected, Weights actual) {
    assertEquals(expected.tensors().keySet(), actual.tensors().keySet());
    expected.tensors().forEach((name, t) ->
        assertTrue(t.contentEquals(actual.find(name).orElseThrow()), name + " differs after the key map"));
  }

  @Test
  void authorsCheckpointLoadsIntoTheTask() {
    Graph g = new StrokeNextTaskProvider().create(new StrokeNextTaskProvider().configure("atto", Map.of("image_size", "32"))).graph();
    Weights ours = RandomWeights.initialize(g, 5);
    Map<String, Tensor> authors = new LinkedHashMap<>();
    ours.tensors().forEach((name, t) -> {
      if (name.startsWith("encoder")) {
        String e = name.substring(0, name.indexOf('.'));
        String rest = name.substring(e.length() + 1);
        // encoderN is nn.Sequential(features, avgpool): features.<i>... is saved as encoderN.0.<i>...
        authors.put(e + ".0." + torchvisionName(rest).substring("features.".length()), torchvisionTensor(rest, t));
      } else {
        authors.put(name, t);
      }
    });
    for (String bn : new String[] {"fusion.bn_reduce", "fusion.bn_point", "classifier.2"}) {
      authors.put(bn + ".num_batches_tracked", Tensor.ofLongs(Shape.scalar(), 1234L));
    }
    assertTrue(authors.containsKey("encoder2.0.5.3.block.3.weight"), "stage 2 block 3 fc1 lives at features.5.3");
    assertEquals(Shape.of(40, 1, 1), authors.get("encoder1.0.1.0.layer_scale").shape());
    // Through the provider, as `--key-map torchvision` reaches it.
    KeyMap torchvision = new StrokeNextTaskProvider().keyMaps().get("torchvision");
    Weights mapped = torchvision.apply(Weights.of(authors, "authors.pth"));
    assertSameTensors(ours, mapped.fitTo(g));
    // Without the map nothing fits, and the failure lists the torchvision names.
    WeightMismatchException e = assertThrows(WeightMismatchException.class,
        () -> Weights.of(authors, "authors.pth").fitTo(g));
    assertTrue(e.unexpected().contains("encoder1.0.0.0.weight"), e.getMessage());
  }

  @Test
  void torchvisionConvnextTinyLoadsIntoTheEncoder() {
    GraphBuilder b = new GraphBuilder("convnext_tiny");
    Value x = b.input("image", DType.FLOAT32, Shape.of(-1, 3, 32, 32));
    b.output("features", new ConvNextEncoder().encode(b, x, "tiny"));
    Graph g = b.build();
    Weights ours = RandomWeights.initialize(g, 6);
    Map<String, Tensor> tv = new LinkedHashMap<>();
    ours.tensors().forEach((name, t) -> tv.put(torchvisionName(name), torchvisionTensor(name, t)));
    tv.put("classifier.0.weight", Tensor.zeros(DType.FLOAT32, Shape.of(768, 1, 1)));
    tv.put("classifier.0.bias", Tensor.zeros(DType.FLOAT32, Shape.of(768, 1, 1)));
    tv.put("classifier.2.weight", Tensor.zeros(DType.FLOAT32, Shape.of(1000, 768)));
    tv.put("classifier.2.bias", Tensor.zeros(DType.FLOAT32, Shape.of(1000)));
    assertEquals(Shape.of(3072, 768), tv.get("features.7.2.block.3.weight").shape());
    assertEquals(Shape.of(768, 384, 2, 2), tv.get("features.6.1.weight").shape());
    assertSameTensors(ours, ConvNextKeyMaps.torchvision().apply(Weights.of(tv, "convnext_tiny.pth")).fitTo(g));
  }

  @Test
  void timmMapDropsOnlyTheHead() {
    Map<String, Tensor> timm = new LinkedHashMap<>();
    timm.put("stem.0.weight", Tensor.zeros(DType.FLOAT32, Shape.of(40, 3, 4, 4)));
    timm.put("head.norm.weight", Tensor.zeros(DType.FLOAT32, Shape.of(320)));
    timm.put("head.fc.bias", Tensor.zeros(DType.FLOAT32, Shape.of(1000)));
    Weights mapped = ConvNextKeyMaps.timm().apply(Weights.of(timm, "timm.safetensors"));
    assertEquals(Set.of("stem.0.weight"), mapped.tensors().keySet());
  }
}
