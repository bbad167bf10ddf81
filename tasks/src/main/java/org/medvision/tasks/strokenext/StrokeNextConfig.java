package org.medvision.tasks.strokenext;

import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.TaskConfig;
import org.medvision.tasks.common.ConvNextVariant;

/**
 * StrokeNeXt's options, read from a {@link TaskConfig}.
 *
 * @param variant ConvNeXt size
 * @param subtask output definition
 * @param fusion fusion name, or {@value #SINGLE}
 * @param imageSize input height and width
 * @param fusionHidden the Conv1d fusion's hidden size, or 0 for the feature size
 * @param dropPath the encoders' stochastic depth rate
 * @param labelSmoothing cross-entropy ε
 * @param balancedClassWeights whether the cross-entropy weighs classes inversely to their frequency
 */
record StrokeNextConfig(String variant, String subtask, String fusion, int imageSize, int fusionHidden,
    float dropPath, float labelSmoothing, boolean balancedClassWeights) {
  /** The fusion name of the one-encoder baseline. */
  static final String SINGLE = "single";
  static final int MIN_IMAGE_SIZE = 32;
  static final String AUTO = "auto";

  /** The options, with defaults that reproduce the paper's configuration at 224 pixels. */
  static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.choice("subtask", "3class", List.of("3class", "presence", "subtype"),
          "what is classified: 3class (normal, ischemic, hemorrhagic), presence (normal, stroke; the paper's "
              + "scenario A) or subtype (ischemic, hemorrhagic; scenario B, normal slices left out)"),
      OptionSpec.choice("fusion", "conv1d", List.of("conv1d", "concat", "sum", SINGLE),
          "how the two encoders' features combine: conv1d (the paper), concat or sum (the RQ3 ablation), or single "
              + "(one encoder, the RQ1 baseline)"),
      OptionSpec.integer("image_size", "224", MIN_IMAGE_SIZE, 4096,
          "input height and width in pixels (ConvNeXt reduces by 32)"),
      OptionSpec.integer("fusion_hidden", AUTO, 1, Double.NaN,
          "hidden size of the Conv1d fusion (the authors' fusion_hidden); auto = the feature size", AUTO),
      OptionSpec.number("drop_path", AUTO, 0, 0.999,
          "the encoders' stochastic depth rate; auto = torchvision's rate for the variant (0.1 tiny, 0.4 small, 0.5 "
              + "base and large, 0 for atto..nano)", AUTO).training(),
      OptionSpec.number("label_smoothing", "0.1", 0, 0.999, "cross-entropy label smoothing").training(),
      OptionSpec.choice("class_weights", "none", List.of("none", "balanced"),
          "cross-entropy class weights: none, or balanced (N / (C·n_c), scikit-learn's 'balanced')").training());

  /**
   * Reads {@code config}.
   *
   * @throws MedvisionException for fusion_hidden with a fusion other than conv1d
   */
  static StrokeNextConfig of(TaskConfig config) {
    String fusion = config.option("fusion");
    String hidden = config.option("fusion_hidden");
    if (!hidden.equals(AUTO) && !fusion.equals("conv1d")) {
      throw new MedvisionException(StrokeNextTaskProvider.NAME + ": option fusion_hidden applies to the conv1d "
          + "fusion only, not '" + fusion + "'");
    }
    String dropPath = config.option("drop_path");
    return new StrokeNextConfig(config.variant(), config.option("subtask"), fusion, config.intOption("image_size"),
        hidden.equals(AUTO) ? 0 : Integer.parseInt(hidden),
        dropPath.equals(AUTO) ? ConvNextVariant.of(config.variant()).stochasticDepth() : Float.parseFloat(dropPath),
        (float) config.numberOption("label_smoothing"), config.option("class_weights").equals("balanced"));
  }
}
