package org.medvision.tasks.strokenext;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.Task;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSpec;

/** StrokeNeXt's training recipe: one cross-entropy term with the configured smoothing and class weights. */
class StrokeNextRecipeTest {
  private static final StrokeNextTaskProvider PROVIDER = new StrokeNextTaskProvider();

  @Test
  void oneCrossEntropyTermOnTheLogitsWithTheConfiguredSmoothing() {
    Task task = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "label_smoothing", "0.2")));
    TrainingSpec spec = task.training().orElseThrow().build(context(task, 3, 1, 1));
    assertEquals(List.of("ce"), TrainingGraph.lossTerms(spec.graph()));
    assertEquals(Map.of(TrainingGraph.LABELS, "label"), spec.targets());
    assertEquals(Map.of("ce", 1.0), spec.balancer().weights(0));
    Node ce = crossEntropy(spec);
    assertEquals(List.of("logits", TrainingGraph.LABELS), ce.inputs());
    assertEquals(0.2f, ce.attributes().getFloat("label_smoothing"), 0f);
    assertNull(ce.attributes().raw("class_weights").orElse(null));
    assertEquals(List.of("loss", "loss.ce", "logits"), spec.graph().outputs().stream().map(ValueInfo::name)
        .toList());
  }

  @Test
  void balancedClassWeightsFollowTheTrainingSplit() {
    Task task = PROVIDER.create(PROVIDER.configure("atto", Map.of("image_size", "32", "class_weights",
        "balanced")));
    TrainingSpec spec = task.training().orElseThrow().build(context(task, 6, 3, 3));
    // N / (C · n_c) with N = 12, C = 3.
    assertArrayEquals(new float[] {12f / 18, 12f / 9, 12f / 9},
        (float[]) crossEntropy(spec).attributes().raw("class_weights").orElseThrow(), 1e-6f);
    assertTrue(spec.notes().get(0).contains("class weights"), spec.notes().toString());
  }

  private static Node crossEntropy(TrainingSpec spec) {
    return spec.graph().nodes().stream().filter(n -> n.op() == Op.CROSS_ENTROPY).findFirst().orElseThrow();
  }

  /** A training table with {@code counts[c]} examples of class c. */
  private static TrainingContext context(Task task, int... counts) {
    List<String> classes = StrokeNextTaskProvider.labels("3class");
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    int size = total;
    ExampleTable table = new ExampleTable() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public String id(int row) {
        return "row" + row;
      }

      @Override
      public String patient(int row) {
        return null;
      }

      @Override
      public int[] labelsOf(int row, String field) {
        return label(row) < 0 ? new int[0] : new int[] {label(row)};
      }

      @Override
      public int label(int row) {
        int r = row;
        for (int c = 0; c < counts.length; c++) {
          if (r < counts[c]) {
            return c;
          }
          r -= counts[c];
        }
        throw new AssertionError(row);
      }

      @Override
      public List<String> classes() {
        return classes;
      }

      @Override
      public double attribute(int row, String name) {
        return Double.NaN;
      }

      @Override
      public String where(int row) {
        return id(row);
      }
    };
    return new TrainingContext(task.config(), table, 0, Map.of());
  }
}
