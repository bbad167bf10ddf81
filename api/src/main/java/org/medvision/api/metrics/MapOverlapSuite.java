package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.data.MaskField;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.Prediction;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.tensor.Tensor;

/**
 * How well a spatial map (an attention or saliency map, values in [0, 1]) lies on a mask field, on the map's own grid:
 * e.g. DSA-Net's attention map against the infection mask reduced to that grid. Generic over the output and mask
 * names; the mask field must be on the map's grid (a {@link MaskField} with that {@code grid}).
 *
 * <p>Only examples whose mask is present are scored: an example with {@code <mask>.present} = 0 is counted as
 * skipped (an example without that key is taken as having its mask). The map is made binary at {@code threshold}
 * (a cell is positive when its value is at least the threshold), the mask at 0.5.
 *
 * <p>Metric keys, each prefixed by the suite's name and {@code _} (e.g. {@code attention_dice}):
 * <ul>
 *   <li>{@code dice}, {@code iou}: per example, then the mean over the examples whose mask has cells on the grid (an
 *       empty mask met by an empty map would score 1 and say nothing about where the map points; such examples count
 *       in the pooled and inside/outside figures only);
 *   <li>{@code pooled_dice}, {@code pooled_iou}: from the voxel counts summed over all scored examples;
 *   <li>{@code chance_dice}, {@code pooled_chance_dice}: the expected Dice of a map with the same number of positive
 *       cells placed uniformly at random over the grid. With n cells, p positive in the map and t in the mask, the
 *       overlap is hypergeometric with mean p·t/n, and p + t is fixed, so the expectation is exactly 2·p·t /
 *       (n·(p + t)) (1 when p + t = 0); the mean over the same examples as {@code dice}; pooled, 2·Σ(p·t/n) /
 *       Σ(p + t);
 *   <li>{@code dice_over_chance}: {@code dice − chance_dice}; above 0 (with a bootstrap interval above 0) the map
 *       finds the mask better than a map of the same size placed at random;
 *   <li>{@code inside_mean}, {@code outside_mean}: the mean map value over all mask cells and over all other cells
 *       of the scored examples; {@code inside_outside}: their ratio (NaN when either set of cells is empty or the
 *       outside mean is 0);
 *   <li>{@code examples}: how many examples were scored; {@code examples_with_cells}: how many of them have mask cells
 *       on the grid.
 * </ul>
 * The result carries a picture of up to {@value MapPanels#MAX_ROWS} examples: the input slice through the mask (or the
 * map's strongest layer), and the map over it with the mask outlined.
 * Intervals, when asked for, are percentile bootstraps over the scored examples
 * ({@link Bootstrap#confidenceIntervals(int, java.util.function.Function, Map, int, long, double)}). With no scored
 * example every metric is NaN.
 */
public final class MapOverlapSuite implements MetricSuite {
  /** The map value from which a cell counts as positive, unless another is given. */
  public static final double DEFAULT_THRESHOLD = 0.5;

  private final String name;
  private final String output;
  private final String maskField;
  private final double threshold;
  private final List<Scored> scored = new ArrayList<>();
  private final MapPanels panels = new MapPanels();
  private int skipped;

  /** A suite named {@code name} scoring map output {@code output} against mask field {@code maskField} at 0.5. */
  public MapOverlapSuite(String name, String output, String maskField) {
    this(name, output, maskField, DEFAULT_THRESHOLD);
  }

  /**
   * A suite with its own map threshold.
   *
   * @param name the suite's name and its metric keys' prefix, lower-case letters, digits and {@code _}
   * @param output the task output holding the map
   * @param maskField the mask field holding the truth on the map's grid
   * @param threshold map values at or above it are positive, in (0, 1]
   * @throws IllegalArgumentException for a bad name or threshold
   */
  public MapOverlapSuite(String name, String output, String maskField, double threshold) {
    if (name == null || !name.matches("[a-z][a-z0-9_]*")) {
      throw new IllegalArgumentException("map overlap suite name '" + name + "' must be lower-case letters, digits "
          + "and _");
    }
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("map threshold must be in (0, 1], got " + threshold);
    }
    this.name = name;
    this.output = output;
    this.maskField = maskField;
    this.threshold = threshold;
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Scores one example, or counts it as skipped when its mask is absent.
   *
   * @throws MedvisionException if the prediction has no spatial map in the output, or the mask and the map differ in
   *     their grid
   */
  @Override
  public void add(Example truth, ExampleResult predicted) {
    Prediction p = predicted.predictions().get(output);
    if (!(p instanceof SpatialMap map)) {
      throw new MedvisionException("map overlap '" + name + "' needs a spatial map in output '" + output + "' for "
          + truth.where() + ", got " + p);
    }
    Tensor present = truth.tensors().get(MaskField.presenceKey(maskField));
    if (present != null && present.toFloatArray()[0] == 0) {
      skipped++;
      return;
    }
    Tensor maskTensor = truth.tensor(maskField);
    long[] m = maskTensor.shape().dims();
    long[] v = map.values().shape().dims();
    boolean sameGrid = m.length >= v.length && maskTensor.size() == map.values().size();
    for (int i = 1; sameGrid && i <= v.length; i++) {
      sameGrid = m[m.length - i] == v[v.length - i];
    }
    if (!sameGrid) {
      throw new MedvisionException(truth.where() + ": mask '" + maskField + "' " + maskTensor.shape() + " is not on "
          + "the grid of map '" + output + "' " + map.values().shape() + "; give the mask field that grid");
    }
    float[] maskValues = maskTensor.toFloatArray();
    float[] mapValues = map.values().toFloatArray();
    scored.add(Scored.of(truth.id(), maskValues, mapValues, threshold));
    panels.offer(truth.id(), truth.tensors().get(map.alignedTo()), mapValues, v, maskValues);
  }

  @Override
  public Map<String, Direction> selectable() {
    Map<String, Direction> m = new LinkedHashMap<>();
    for (String k : List.of("dice", "iou", "dice_over_chance", "pooled_dice", "pooled_iou", "inside_outside")) {
      m.put(key(k), Direction.HIGHER);
    }
    return m;
  }

  /** {@code <name>_dice}. */
  @Override
  public String defaultSelection() {
    return key("dice");
  }

  /** Dice, Dice over chance and the inside/outside ratio. */
  @Override
  public List<String> epochKeys() {
    return List.of(key("dice"), key("dice_over_chance"), key("inside_outside"));
  }

  @Override
  public MetricResult result(long bootstrapSeed, int bootstrapRounds) {
    Map<String, ToDoubleFunction<Summary>> statistics = statistics();
    int n = scored.size();
    Summary all = Summary.of(scored, identity(n));
    Map<String, Double> scalars = new LinkedHashMap<>();
    statistics.forEach((k, f) -> scalars.put(k, f.applyAsDouble(all)));
    scalars.put(key("examples"), (double) n);
    scalars.put(key("examples_with_cells"), (double) scored.stream().filter(s -> s.actual() > 0).count());
    Map<String, ConfidenceInterval> intervals = new LinkedHashMap<>();
    if (bootstrapRounds > 0 && n > 0) {
      intervals.putAll(Bootstrap.confidenceIntervals(n, indices -> Summary.of(scored, indices), statistics,
          bootstrapRounds, bootstrapSeed, Bootstrap.DEFAULT_LEVEL));
    }
    Map<String, String> labels = labels();
    return new MetricResult(name, scalars, labels, intervals, List.of(table(scalars, labels, intervals)),
        panels.figures(name + "-panels.png", "Map '" + output + "' over its input with mask '" + maskField + "'"),
        details());
  }

  private String key(String metric) {
    return name + "_" + metric;
  }

  private Map<String, ToDoubleFunction<Summary>> statistics() {
    Map<String, ToDoubleFunction<Summary>> m = new LinkedHashMap<>();
    m.put(key("dice"), Summary::dice);
    m.put(key("iou"), Summary::iou);
    m.put(key("chance_dice"), Summary::chanceDice);
    m.put(key("dice_over_chance"), s -> s.dice() - s.chanceDice());
    m.put(key("pooled_dice"), Summary::pooledDice);
    m.put(key("pooled_iou"), Summary::pooledIou);
    m.put(key("pooled_chance_dice"), Summary::pooledChanceDice);
    m.put(key("inside_mean"), Summary::insideMean);
    m.put(key("outside_mean"), Summary::outsideMean);
    m.put(key("inside_outside"), s -> s.outsideMean() > 0 ? s.insideMean() / s.outsideMean() : Double.NaN);
    return m;
  }

  private Map<String, String> labels() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(key("dice"), "Dice (mean over examples)");
    m.put(key("iou"), "IoU (mean over examples)");
    m.put(key("chance_dice"), "Dice of a random map of the same size (expected, mean)");
    m.put(key("dice_over_chance"), "Dice minus chance Dice");
    m.put(key("pooled_dice"), "Dice (voxels pooled over examples)");
    m.put(key("pooled_iou"), "IoU (voxels pooled over examples)");
    m.put(key("pooled_chance_dice"), "Dice of a random map of the same size (expected, pooled)");
    m.put(key("inside_mean"), "Mean map value inside the mask");
    m.put(key("outside_mean"), "Mean map value outside the mask");
    m.put(key("inside_outside"), "Inside / outside mean map value");
    m.put(key("examples"), "Examples with a mask");
    m.put(key("examples_with_cells"), "Examples whose mask has cells on the grid");
    return m;
  }

  private ReportTable table(Map<String, Double> scalars, Map<String, String> labels,
      Map<String, ConfidenceInterval> intervals) {
    List<List<String>> rows = new ArrayList<>();
    scalars.forEach((k, v) -> {
      ConfidenceInterval ci = intervals.get(k);
      String value = k.startsWith(key("examples")) ? Long.toString(Math.round(v)) : format(v);
      String interval = ci == null ? "" : "[" + format(ci.lower()) + ", " + format(ci.upper()) + "]";
      rows.add(List.of(labels.get(k), value, interval));
    });
    String note = String.format(Locale.ROOT, "Map '%s' against mask '%s' on the map's grid, map positive where >= %s;"
        + " %d example(s) scored, %d without the mask skipped. Chance: the expected Dice of a map with the same number"
        + " of positive cells placed at random, 2pt/(n(p+t)).%s", output, maskField, format(threshold), scored.size(),
        skipped, intervals.isEmpty() ? "" : " Intervals: 95% percentile bootstrap over examples.");
    return new ReportTable("Map overlap: " + output + " vs " + maskField, List.of("metric", "value", "95% CI"), rows,
        note);
  }

  private Map<String, Object> details() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("output", output);
    m.put("mask", maskField);
    m.put("threshold", threshold);
    m.put("scored", scored.size());
    m.put("skipped", skipped);
    List<Map<String, Object>> perExample = new ArrayList<>();
    for (Scored s : scored) {
      Map<String, Object> e = new LinkedHashMap<>(s.counts().toMap());
      e.put("id", s.id());
      e.put("chanceDice", s.chanceDice());
      perExample.add(e);
    }
    m.put("perExample", perExample);
    return m;
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
  }

  private static int[] identity(int n) {
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    return indices;
  }

  /** One scored example: its overlap counts and the sums of its map values inside and outside the mask. */
  private record Scored(String id, OverlapCounts counts, double insideSum, long insideCells, double outsideSum,
      long outsideCells) {
    static Scored of(String id, float[] mask, float[] map, double threshold) {
      boolean[] truth = new boolean[mask.length];
      boolean[] prediction = new boolean[map.length];
      double inside = 0;
      double outside = 0;
      long insideCells = 0;
      for (int i = 0; i < mask.length; i++) {
        truth[i] = mask[i] >= 0.5f;
        prediction[i] = map[i] >= threshold;
        if (truth[i]) {
          inside += map[i];
          insideCells++;
        } else {
          outside += map[i];
        }
      }
      return new Scored(id, OverlapCounts.of(truth, prediction), inside, insideCells, outside,
          mask.length - insideCells);
    }

    long cells() {
      return insideCells + outsideCells;
    }

    long predicted() {
      return counts.truePositives() + counts.falsePositives();
    }

    long actual() {
      return counts.truePositives() + counts.falseNegatives();
    }

    /** E[TP] of a random placement of the map's positive cells: p·t/n. */
    double chanceOverlap() {
      return (double) predicted() * actual() / cells();
    }

    double chanceDice() {
      long sum = predicted() + actual();
      return sum == 0 ? 1 : 2 * chanceOverlap() / sum;
    }
  }

  /** The statistics of a multiset of scored examples (indices may repeat, as in a bootstrap resample). */
  private record Summary(double dice, double iou, double chanceDice, double pooledDice, double pooledIou,
      double pooledChanceDice, double insideMean, double outsideMean) {
    static Summary of(List<Scored> scored, int[] indices) {
      if (indices.length == 0) {
        return new Summary(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
            Double.NaN);
      }
      double dice = 0;
      double iou = 0;
      double chance = 0;
      int withCells = 0;
      double chanceOverlap = 0;
      long sizes = 0;
      OverlapCounts pooled = OverlapCounts.EMPTY;
      double inside = 0;
      double outside = 0;
      long insideCells = 0;
      long outsideCells = 0;
      for (int i : indices) {
        Scored s = scored.get(i);
        if (s.actual() > 0) {
          dice += s.counts().dice();
          iou += s.counts().iou();
          chance += s.chanceDice();
          withCells++;
        }
        chanceOverlap += s.chanceOverlap();
        sizes += s.predicted() + s.actual();
        pooled = pooled.plus(s.counts());
        inside += s.insideSum();
        outside += s.outsideSum();
        insideCells += s.insideCells();
        outsideCells += s.outsideCells();
      }
      double perExample = withCells == 0 ? Double.NaN : withCells;
      return new Summary(dice / perExample, iou / perExample, chance / perExample, pooled.dice(), pooled.iou(),
          sizes == 0 ? 1 : 2 * chanceOverlap / sizes, insideCells == 0 ? Double.NaN : inside / insideCells,
          outsideCells == 0 ? Double.NaN : outside / outsideCells);
    }
  }
}
