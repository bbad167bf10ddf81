package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/** {@link MapOverlapSuite} on 2×2×2 grids worked out by hand. */
class MapOverlapSuiteTest {
  private static final double TOL = 1e-6;

  /**
   * Mask cells 0-3; map ≥ 0.5 at cells 0, 1, 4, 7: TP 2, FP 2, FN 2, TN 2, so Dice 4/8, IoU 2/6. A random map with
   * p = 4 positives against t = 4 of n = 8 cells: 2·4·4/(8·8) = 0.5. Inside mean (0.9+0.8+0.2+0.1)/4 = 0.5, outside
   * (0.6+0.3+0+0.5)/4 = 0.35.
   */
  private static final float[] MASK_A = {1, 1, 1, 1, 0, 0, 0, 0};
  private static final float[] MAP_A = {0.9f, 0.8f, 0.2f, 0.1f, 0.6f, 0.3f, 0f, 0.5f};
  /**
   * Mask cell 0; map ≥ 0.5 only at cell 0: Dice and IoU 1; chance 2·1·1/(8·2) = 0.125. Inside 0.7, outside 1.0/7.
   */
  private static final float[] MASK_B = {1, 0, 0, 0, 0, 0, 0, 0};
  private static final float[] MAP_B = {0.7f, 0.4f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f};

  private static Example truth(String id, float[] mask, Float present) {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("infection_mask", Tensor.of(Shape.of(1, 2, 2, 2), mask));
    if (present != null) {
      t.put("infection_mask.present", Tensor.of(Shape.scalar(), present));
    }
    return new Example(id, null, id, t, Map.of());
  }

  private static ExampleResult map(String id, float[] values) {
    return new ExampleResult(id, Map.of("attention", new SpatialMap(Tensor.of(Shape.of(2, 2, 2), values), "ct")));
  }

  private static MapOverlapSuite suite() {
    return new MapOverlapSuite("attention", "attention", "infection_mask");
  }

  @Test
  void twoExamplesAndOneWithoutMaskByHand() {
    MapOverlapSuite s = suite();
    s.add(truth("a", MASK_A, 1f), map("a", MAP_A));
    s.add(truth("b", MASK_B, null), map("b", MAP_B));
    // Absent: its zeros must not count, whatever the map says.
    s.add(truth("c", new float[8], 0f), map("c", new float[] {1, 1, 1, 1, 1, 1, 1, 1}));
    MetricResult r = s.result(0, 0);
    assertEquals("attention", r.suite());
    assertEquals(2, r.scalar("attention_examples"));
    assertEquals((0.5 + 1) / 2, r.scalar("attention_dice"), TOL);
    assertEquals((1.0 / 3 + 1) / 2, r.scalar("attention_iou"), TOL);
    assertEquals((0.5 + 0.125) / 2, r.scalar("attention_chance_dice"), TOL);
    assertEquals(0.75 - 0.3125, r.scalar("attention_dice_over_chance"), TOL);
    // Pooled: TP 3, FP 2, FN 2; chance 2·(4·4/8 + 1·1/8) / (8 + 2).
    assertEquals(6.0 / 10, r.scalar("attention_pooled_dice"), TOL);
    assertEquals(3.0 / 7, r.scalar("attention_pooled_iou"), TOL);
    assertEquals(2 * (2 + 0.125) / 10, r.scalar("attention_pooled_chance_dice"), TOL);
    assertEquals(2.7 / 5, r.scalar("attention_inside_mean"), TOL);
    assertEquals(2.4 / 11, r.scalar("attention_outside_mean"), TOL);
    assertEquals((2.7 / 5) / (2.4 / 11), r.scalar("attention_inside_outside"), TOL);
    assertTrue(r.intervals().isEmpty(), "no bootstrap asked for");
    ReportTable table = r.tables().get(0);
    assertEquals(List.of("metric", "value", "95% CI"), table.header());
    assertEquals(r.scalars().size(), table.rows().size());
    assertTrue(table.note().contains("2 example(s) scored, 1 without the mask skipped"), table.note());
    for (String key : r.scalars().keySet()) {
      assertTrue(r.labels().containsKey(key), "label for " + key);
    }
  }

  @Test
  void chanceIsTheMeanDiceOverEveryPlacementOfTheMapsPositiveCells() {
    // Mask cells {0, 1} (t = 2); every map with p = 3 positive cells among n = 8: C(8, 3) = 56 placements, whose mean
    // Dice must be the chance Dice 2·3·2/(8·5) = 0.3 that each of them is credited with.
    MapOverlapSuite s = suite();
    float[] mask = {1, 1, 0, 0, 0, 0, 0, 0};
    int placements = 0;
    for (int bits = 0; bits < 256; bits++) {
      if (Integer.bitCount(bits) != 3) {
        continue;
      }
      float[] values = new float[8];
      for (int i = 0; i < 8; i++) {
        values[i] = (bits >> i & 1) == 1 ? 0.75f : 0.25f;
      }
      s.add(truth("p" + bits, mask, 1f), map("p" + bits, values));
      placements++;
    }
    assertEquals(56, placements);
    MetricResult r = s.result(0, 0);
    assertEquals(0.3, r.scalar("attention_chance_dice"), 1e-12);
    assertEquals(r.scalar("attention_chance_dice"), r.scalar("attention_dice"), 1e-12);
    assertEquals(0, r.scalar("attention_dice_over_chance"), 1e-12);
    assertEquals(0.3, r.scalar("attention_pooled_chance_dice"), 1e-12);
    assertEquals(r.scalar("attention_pooled_chance_dice"), r.scalar("attention_pooled_dice"), 1e-12);
  }

  @Test
  void emptyMasksCountOnlyWhenPooledAndThresholdIsInclusive() {
    MapOverlapSuite s = suite();
    s.add(truth("empty", new float[8], 1f), map("empty", new float[] {0.49f, 0, 0, 0, 0, 0, 0, 0}));
    MetricResult r = s.result(0, 0);
    assertTrue(Double.isNaN(r.scalar("attention_dice")), "an empty mask says nothing about where the map points");
    assertTrue(Double.isNaN(r.scalar("attention_chance_dice")));
    assertEquals(1, r.scalar("attention_pooled_dice"), "no cell on either side: pooled counts agree");
    assertEquals(1, r.scalar("attention_examples"));
    assertEquals(0, r.scalar("attention_examples_with_cells"));
    assertTrue(Double.isNaN(r.scalar("attention_inside_mean")), "no mask cell");
    assertTrue(Double.isNaN(r.scalar("attention_inside_outside")));

    // With a lesion-bearing example beside it, the empty one leaves the per-example mean alone but adds its
    // false positive to the pooled counts.
    s.add(truth("b", MASK_B, 1f), map("b", MAP_B));
    s.add(truth("fp", new float[8], 1f), map("fp", new float[] {0, 0, 0, 0, 0, 0, 0, 0.9f}));
    MetricResult mixed = s.result(0, 0);
    assertEquals(1, mixed.scalar("attention_dice"), TOL);
    assertEquals(2.0 / 3, mixed.scalar("attention_pooled_dice"), TOL);
    assertEquals(1, mixed.scalar("attention_examples_with_cells"));

    MapOverlapSuite t = new MapOverlapSuite("att", "attention", "infection_mask", 0.5);
    t.add(truth("edge", MASK_B, 1f), map("edge", new float[] {0.5f, 0, 0, 0, 0, 0, 0, 0}));
    assertEquals(1, t.result(0, 0).scalar("att_dice"), "0.5 is positive at threshold 0.5");
  }

  @Test
  void bootstrapIntervalsResampleExamples() {
    MapOverlapSuite s = suite();
    s.add(truth("a", MASK_A, 1f), map("a", MAP_A));
    s.add(truth("b", MASK_B, 1f), map("b", MAP_B));
    MetricResult r = s.result(7, 200);
    ConfidenceInterval dice = r.intervals().get("attention_dice");
    // The same resamples drawn by hand: the mean of per-example Dice 0.5 and 1 over the drawn indices.
    double[] perExample = {0.5, 1};
    ConfidenceInterval expected = Bootstrap.confidenceInterval(2, idx -> {
      double sum = 0;
      for (int i : idx) {
        sum += perExample[i];
      }
      return sum / idx.length;
    }, 200, 7);
    assertEquals(expected.lower(), dice.lower(), 1e-12);
    assertEquals(expected.upper(), dice.upper(), 1e-12);
    assertEquals(0.75, dice.estimate(), 1e-12);
    assertTrue(r.intervals().containsKey("attention_dice_over_chance"));
    assertFalse(r.intervals().containsKey("attention_examples"), "a count has no interval");
    assertEquals(r.intervals().get("attention_iou"), s.result(7, 200).intervals().get("attention_iou"),
        "same seed, same interval");
  }

  @Test
  void panelsShowTheSliceThroughTheMaskWithTheMapAndTheMaskOutlined() {
    MapOverlapSuite s = suite();
    // An 8x8x8 input over the 2x2x2 grid: mask cell 0 is layer 0, so the slice shown is input slice 2 (the centre
    // of grid layer 0), whose value 2/8 paints a uniform gray on the left tile.
    float[] volume = new float[8 * 8 * 8];
    for (int i = 0; i < volume.length; i++) {
      volume[i] = (i / 64) / 8f;
    }
    Map<String, Tensor> t = new LinkedHashMap<>(truth("b", MASK_B, 1f).tensors());
    t.put("ct", Tensor.of(Shape.of(1, 8, 8, 8), volume));
    s.add(new Example("b", null, "b", t, Map.of()), map("b", MAP_B));
    List<ReportFigure> figures = s.result(0, 0).figures();
    assertEquals(1, figures.size());
    ReportFigure.Picture p = (ReportFigure.Picture) figures.get(0);
    assertEquals("attention-panels.png", p.file());
    assertTrue(p.title().contains("rows, top to bottom: b"), p.title());
    assertEquals(MapPanels.TILE_HEIGHT + 8, p.height());
    int left = p.rgb()[(4 + 10) * p.width() + 4 + 10];
    assertEquals(left & 0xFF, left >> 8 & 0xFF, "gray on the left tile");
    // Right tile: mask cell 0 covers the top-left quarter; its outline is green, the map's 0.7 there is warmer
    // than the 0.4 to its right.
    int rightLeft = 2 * 4 + MapPanels.TILE_HEIGHT;
    assertEquals(0x00FF40, p.rgb()[4 * p.width() + rightLeft]);
    int hot = p.rgb()[(4 + 30) * p.width() + rightLeft + 30];
    int cooler = p.rgb()[(4 + 30) * p.width() + rightLeft + 100];
    assertTrue((hot >> 8 & 0xFF) > (cooler >> 8 & 0xFF), "higher map value is more yellow");
    assertTrue(suite().result(0, 0).figures().isEmpty(), "no example, no picture");
  }

  @Test
  void noScoredExampleGivesNaNNotAnError() {
    MapOverlapSuite s = suite();
    s.add(truth("c", new float[8], 0f), map("c", MAP_A));
    MetricResult r = s.result(1, 100);
    assertEquals(0, r.scalar("attention_examples"));
    assertTrue(Double.isNaN(r.scalar("attention_dice")));
    assertTrue(r.intervals().isEmpty());
    assertFalse(s.selectable().get(s.defaultSelection()).improves(r.scalar(s.defaultSelection()), Double.NaN),
        "NaN never selects a checkpoint");
  }

  @Test
  void selectionKeysAndErrors() {
    MapOverlapSuite s = suite();
    assertEquals("attention_dice", s.defaultSelection());
    assertTrue(s.selectable().keySet().containsAll(s.epochKeys()));
    assertEquals(MetricSuite.Direction.HIGHER, s.selectable().get("attention_inside_outside"));
    MedvisionException notAMap = assertThrows(MedvisionException.class, () -> s.add(truth("a", MASK_A, 1f),
        new ExampleResult("a", Map.of("attention", new ClassProbabilities(List.of("x", "y"), new float[] {1, 0})))));
    assertTrue(notAMap.getMessage().contains("spatial map"), notAMap.getMessage());
    MedvisionException grid = assertThrows(MedvisionException.class, () -> s.add(truth("a", MASK_A, 1f),
        new ExampleResult("a", Map.of("attention", new SpatialMap(Tensor.of(Shape.of(1, 2, 4), MAP_A), "ct")))));
    assertTrue(grid.getMessage().contains("not on the grid"), grid.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new MapOverlapSuite("Bad Name", "a", "m"));
    assertThrows(IllegalArgumentException.class, () -> new MapOverlapSuite("a", "a", "m", 0));
  }
}
