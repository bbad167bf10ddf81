package org.medvision.tasks.covidsa;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.Sampler;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.Value;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingRecipe;
import org.medvision.api.training.TrainingSpec;

/**
 * DSA-Net's training: L = CE + λ·L_att (papers.md §3.3's proposal; the paper's loss form was not retrieved).
 *
 * <ul>
 *   <li>{@code ce}: cross-entropy of {@code logits} against the class index (target {@value TrainingGraph#LABELS}
 *       ← {@code label}), weight 1;
 *   <li>{@code attention}: binary cross-entropy of the pre-sigmoid map {@code attention_logits} [N, 1, d, h, w]
 *       against the infection mask on the map's grid (target {@value #MASK_TARGET} ← {@code infection_mask}),
 *       weighted per scan by {@code infection_mask.present} (target {@value #PRESENT_TARGET}, [N] reshaped to
 *       [N, 1, 1, 1, 1]): the mean over the voxels of the scans that have a mask, and 0 for a batch with none, so a
 *       scan without a mask adds no attention loss and no gradient. Weight λ = the {@code attention_weight} option.
 * </ul>
 *
 * <p>The sampler is the {@code sampler} option's; the size-balanced one's cells are checked here, so a bin without a
 * scan fails before the first epoch. The notes say how many training scans lack an infection ratio, and so (its
 * value being derived from the mask) an infection mask: those get no attention loss. A manifest may give the ratio
 * without the mask, so the count is a lower bound of the scans without attention loss.
 */
final class CovidDsaRecipe implements TrainingRecipe {
  /** Training-graph input of the infection mask on the attention grid. */
  static final String MASK_TARGET = "infection_mask";
  /** Training-graph input of the per-scan mask presence, [N]. */
  static final String PRESENT_TARGET = "infection_mask_present";

  private final Graph model;
  private final CovidDsaConfig config;

  CovidDsaRecipe(Graph model, CovidDsaConfig config) {
    this.model = model;
    this.config = config;
  }

  @Override
  public TrainingSpec build(TrainingContext context) {
    TrainingGraph.Builder t = TrainingGraph.builder(model);
    GraphBuilder g = t.graph();
    Value logits = g.value(CovidDsaModel.LOGITS);
    Value labels = t.target(TrainingGraph.LABELS, DType.INT64, Shape.of(Shape.DYNAMIC));
    t.loss("ce", g.apply(Op.CROSS_ENTROPY, TrainingGraph.crossEntropyAttributes(logits.info(), 0f, null), logits,
        labels));
    Value z = g.value(CovidDsaModel.ATTENTION_LOGITS);
    Value mask = t.target(MASK_TARGET, DType.FLOAT32, z.shape());
    Value present = t.target(PRESENT_TARGET, DType.FLOAT32, Shape.of(Shape.DYNAMIC));
    Value weight = g.apply(Op.RESHAPE, Attributes.builder().set("shape", 0L, 1L, 1L, 1L, 1L).build(), present);
    t.loss("attention", g.apply(Op.BCE_WITH_LOGITS, z, mask, weight));

    Map<String, String> targets = new LinkedHashMap<>();
    targets.put(TrainingGraph.LABELS, CovidDsaSchema.LABEL);
    targets.put(MASK_TARGET, CovidDsaSchema.INFECTION_MASK);
    targets.put(PRESENT_TARGET, MaskField.presenceKey(CovidDsaSchema.INFECTION_MASK));
    Map<String, Double> weights = new LinkedHashMap<>();
    weights.put("ce", 1.0);
    weights.put("attention", config.attentionWeight());
    List<String> notes = new ArrayList<>();
    notes.add(maskNote(context.train()));
    Sampler sampler = Sampler.UNIFORM;
    if (config.sampler().equals(CovidDsaConfig.SIZE_BALANCED)) {
      SizeBalancedSampler s = new SizeBalancedSampler(CovidDsaSchema.INFECTION_RATIO, config.sizeBins());
      SizeBins bins = s.cells(context.train());
      notes.addAll(bins.describe());
      if (bins.unknown().length > 0) {
        notes.add(bins.unknown().length + " scan(s) without " + CovidDsaSchema.INFECTION_RATIO + " are drawn once per"
            + " epoch each, outside the balancing");
      }
      sampler = s;
    }
    return TrainingSpec.of(t.build(), targets, weights).withSampler(sampler).withNotes(notes);
  }

  /**
   * A proposal (the paper's optimiser and schedule were not retrieved). Batch 8: BatchNorm needs several scans per batch for usable statistics, and eight 128×224×224 volumes with a
   * ResNet-34's activations fit a CPU's memory (papers.md §3.3 proposes 4–8). From scratch on a few hundred volumes:
   * 30 epochs of a few dozen steps each, AdamW at 1e-3 with one warm-up epoch (1e-4, the proposal for the paper's
   * far larger data, learns too slowly from random weights in so few steps) and a light weight decay of 1e-4, as for
   * a BatchNorm ResNet rather than the trainer's ConvNeXt-oriented 0.05.
   */
  @Override
  public Map<String, String> trainerDefaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("batch", "8");
    m.put("epochs", "30");
    m.put("lr", "1e-3");
    m.put("weight-decay", "1e-4");
    m.put("warmup-epochs", "1");
    return m;
  }

  private String maskNote(ExampleTable train) {
    int missing = 0;
    for (int i = 0; i < train.size(); i++) {
      if (!Double.isFinite(train.attribute(i, CovidDsaSchema.INFECTION_RATIO))) {
        missing++;
      }
    }
    if (config.attentionWeight() == 0) {
      return "attention loss off (attention_weight = 0)";
    }
    return String.format(Locale.ROOT, "attention loss (weight %s): %d of %d training scans have no %s (no infection"
        + " mask) and add no attention loss", trim(config.attentionWeight()), missing, train.size(),
        CovidDsaSchema.INFECTION_RATIO);
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
