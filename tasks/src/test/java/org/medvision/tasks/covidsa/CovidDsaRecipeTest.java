package org.medvision.tasks.covidsa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Sampler;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Weights;
import org.medvision.tasks.common.TestNumerics;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * The training recipe: its graph's wiring, and its losses run in the reference interpreter's training mode
 * (BatchNorm on batch statistics) on MedicalNet's resnet10 at 16x16x16, whose attention grid is 2x2x2, with a batch
 * in which some scans lack an infection mask.
 */
class CovidDsaRecipeTest {
  private static final CovidDsaTaskProvider PROVIDER = new CovidDsaTaskProvider();
  private static final int GRID_CELLS = 8;

  private static Task task(Map<String, String> options) {
    Map<String, String> all = new LinkedHashMap<>(Map.of("input", "16x16x16", "layout", "medicalnet"));
    all.putAll(options);
    return PROVIDER.create(PROVIDER.configure("resnet10", all));
  }

  private static TrainingSpec spec(Task task, TestTable table) {
    return task.training().orElseThrow().build(new TrainingContext(task.config(), table, 5, Map.of()));
  }

  private static TestTable smallTable() {
    return new TestTable(new int[] {0, 1, 0, 1, 0, 1, 0, 1},
        new double[] {0.1, 0.2, Double.NaN, 0.3, Double.NaN, 0.4, 0.5, Double.NaN});
  }

  @Test
  void theGraphHasTwoWeightedTermsAndTheTargetsTheSchemaFeeds() {
    Task task = task(Map.of());
    TrainingSpec spec = spec(task, smallTable());
    Graph g = spec.graph();
    assertEquals(List.of("ce", "attention"), TrainingGraph.lossTerms(g));
    assertEquals(Map.of("ce", 1.0, "attention", 0.5), spec.balancer().weights(0));
    Map<String, String> targets = new LinkedHashMap<>();
    targets.put("labels", "label");
    targets.put("infection_mask", "infection_mask");
    targets.put("infection_mask_present", "infection_mask.present");
    assertEquals(targets, spec.targets());
    assertEquals(Shape.of(Shape.DYNAMIC, 1, 2, 2, 2), input(g, "infection_mask").shape());
    assertEquals(Shape.of(Shape.DYNAMIC), input(g, "infection_mask_present").shape());
    assertSame(Sampler.UNIFORM, spec.sampler());
    assertTrue(spec.notes().get(0).contains("3 of 8 training scans have no infection_ratio"), spec.notes().get(0));
    assertTrue(spec(task(Map.of("attention_weight", "0")), smallTable()).notes().get(0).contains("attention loss off"));
    assertEquals("8", task.training().orElseThrow().trainerDefaults().get("batch"));
  }

  @Test
  void scansWithoutAMaskAddNoAttentionLoss() {
    Task task = task(Map.of());
    Graph g = spec(task, smallTable()).graph();
    Weights w = RandomWeights.initialize(task.graph(), 11);
    SplittableRandom random = new SplittableRandom(12);
    Tensor ct = TestNumerics.uniform(random, Shape.of(3, 1, 16, 16, 16), 1.0);
    float[] masks = new float[3 * GRID_CELLS];
    for (int i = 0; i < masks.length; i++) {
      masks[i] = random.nextBoolean() ? 1 : 0;
    }
    float[] present = {1, 0, 1};
    Map<String, Tensor> out = run(g, w, ct, masks, present);

    // By hand from the same run's attention logits: the mean BCE over the 16 cells of scans 0 and 2.
    float[] z = out.get("attention_logits").toFloatArray();
    double sum = 0;
    int cells = 0;
    for (int n = 0; n < 3; n++) {
      if (present[n] == 0) {
        continue;
      }
      for (int c = 0; c < GRID_CELLS; c++) {
        double x = z[n * GRID_CELLS + c];
        double t = masks[n * GRID_CELLS + c];
        sum += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
        cells++;
      }
    }
    float attention = scalar(out, "loss.attention");
    assertEquals(sum / cells, attention, 1e-6 * (1 + Math.abs(sum / cells)));
    assertTrue(attention > 0);
    assertEquals(scalar(out, "loss.ce") + 0.5f * attention, scalar(out, "loss"), 1e-6);

    // The absent scan's mask is not read: flipping it changes nothing.
    float[] flipped = masks.clone();
    for (int c = 0; c < GRID_CELLS; c++) {
      flipped[GRID_CELLS + c] = 1 - flipped[GRID_CELLS + c];
    }
    assertEquals(attention, scalar(run(g, w, ct, flipped, present), "loss.attention"));

    // A batch with no mask at all: the term is exactly 0, and the loss is the cross-entropy alone.
    Map<String, Tensor> none = run(g, w, ct, masks, new float[3]);
    assertEquals(0f, scalar(none, "loss.attention"));
    assertEquals(scalar(none, "loss.ce"), scalar(none, "loss"));
  }

  @Test
  void sizeBalancedSamplingIsCheckedWhenTheRecipeIsBuilt() {
    Task task = task(Map.of("sampler", "size-balanced"));
    TrainingSpec spec = spec(task, TestTable.imbalanced());
    assertEquals("size-balanced", spec.sampler().name());
    assertTrue(spec.notes().stream().anyMatch(n -> n.startsWith("size bins of cap: scans per bin [60, 60, 60, 60, 60]")),
        spec.notes().toString());
    assertTrue(spec.notes().stream().anyMatch(n -> n.startsWith("40 scan(s) without infection_ratio")),
        spec.notes().toString());
    MedvisionException e = assertThrows(MedvisionException.class, () -> spec(task, smallTable()));
    assertTrue(e.getMessage().contains("size_bins"), e.getMessage());
  }

  private static Map<String, Tensor> run(Graph g, Weights w, Tensor ct, float[] masks, float[] present) {
    Map<String, Tensor> in = new LinkedHashMap<>();
    in.put("ct", ct);
    in.put("labels", Tensor.ofLongs(Shape.of(3), 0, 1, 1));
    in.put("infection_mask", Tensor.of(Shape.of(3, 1, 2, 2, 2), masks));
    in.put("infection_mask_present", Tensor.of(Shape.of(3), present));
    in.put("loss_weight.ce", Tensor.of(Shape.scalar(), 1f));
    in.put("loss_weight.attention", Tensor.of(Shape.scalar(), 0.5f));
    return ReferenceInterpreter.runTraining(g, w, in);
  }

  private static float scalar(Map<String, Tensor> out, String name) {
    return out.get(name).toFloatArray()[0];
  }

  private static ValueInfo input(Graph g, String name) {
    return g.inputs().stream().filter(v -> v.name().equals(name)).findFirst().orElseThrow();
  }
}
