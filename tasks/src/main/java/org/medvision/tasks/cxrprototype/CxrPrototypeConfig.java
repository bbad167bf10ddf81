package org.medvision.tasks.cxrprototype;

import java.util.List;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OptionType;
import org.medvision.api.task.TaskConfig;

/**
 * The task's options, read from a {@link TaskConfig}.
 *
 * @param variant the ConvNeXt variant of the image encoder
 * @param imageSize the square model input in pixels
 * @param embedDim the dimension of the shared metric space
 * @param textDim the hidden size of the text encoder, i.e. of each label's text embedding
 * @param dropPath the image encoder's stochastic depth rate
 * @param textEncoder the Hugging Face BERT folder the label texts are encoded with, or empty when none was given
 * @param labelText the template of a label's text; {@code {label}} stands for the label's name
 * @param loss {@value #PROTOTYPE} (dual-weighted metric loss + λ·BCE) or {@value #BCE} (the ablation)
 * @param margin m of the metric loss
 * @param bceWeight λ, the weight of the BCE term next to the metric loss
 * @param backboneLrScale the image encoder's learning rate relative to the projections'
 */
record CxrPrototypeConfig(String variant, int imageSize, int embedDim, int textDim, float dropPath,
    String textEncoder, String labelText, String loss, double margin, double bceWeight, double backboneLrScale) {
  static final String PROTOTYPE = "prototype";
  static final String BCE = "bce";
  static final String AUTO = "auto";
  /** BioBERT-Base's hidden size, the text dimension when no text encoder tells another. */
  static final int BIOBERT_HIDDEN = 768;
  static final String TEXT_ENCODER = "text_encoder";
  static final String TEXT_DIM = "text_dim";

  /** The options; the defaults give papers.md §5.2's proposal. */
  static final List<OptionSpec> OPTIONS = List.of(
      OptionSpec.integer("image_size", "224", 32, 2048,
          "model input in pixels (square; the radiograph is resized to it and its gray value copied to 3 channels)"),
      OptionSpec.integer("embed_dim", "512", 8, 4096, "dimension of the shared metric space of images and labels"),
      OptionSpec.integer(TEXT_DIM, AUTO, 8, 8192, "hidden size of the text encoder; auto = the text_encoder's "
          + "config.json hidden_size, or " + BIOBERT_HIDDEN + " (BioBERT-Base) when none is given", AUTO),
      OptionSpec.number("drop_path", "0.1", 0, 0.99, "stochastic depth rate of the ConvNeXt image encoder"),
      new OptionSpec(TEXT_ENCODER, OptionType.STRING, "", List.of(), Double.NaN, Double.NaN,
          OptionSpec.Scope.TRAINING, "Hugging Face BERT folder (config.json, vocab.txt or tokenizer.json, "
          + "model.safetensors) that encodes the label names once before training, e.g. BioBERT; required to train"),
      new OptionSpec("label_text", OptionType.STRING, "{label}", List.of(), Double.NaN, Double.NaN,
          OptionSpec.Scope.TRAINING, "text encoded for each label; {label} is its name with _ as a space, e.g. "
          + "'chest X-ray showing {label}'"),
      OptionSpec.choice("loss", PROTOTYPE, List.of(PROTOTYPE, BCE), "prototype: the dual-weighted metric loss plus "
          + "bce_weight x BCE; bce: BCE on the same logits only (the ablation)").training(),
      OptionSpec.number("margin", "0.2", 0, 2, "m, the cosine margin below which an absent label's similarity "
          + "costs nothing").training(),
      OptionSpec.number("bce_weight", "1", 0, Double.NaN, "lambda, the weight of BCE next to the metric loss")
          .training(),
      OptionSpec.number("backbone_lr_scale", "0.1", 1e-6, 10, "learning rate of the image encoder relative to the "
          + "projections' (0.1: 1e-4 vs 1e-3, for an ImageNet-initialised encoder; use 1 from scratch)").training());

  /** Reads {@code config}, whose {@code text_dim} is already resolved to a number. */
  static CxrPrototypeConfig of(TaskConfig config) {
    return new CxrPrototypeConfig(config.variant(), config.intOption("image_size"), config.intOption("embed_dim"),
        config.intOption(TEXT_DIM), (float) config.numberOption("drop_path"), config.option(TEXT_ENCODER),
        config.option("label_text"), config.option("loss"), config.numberOption("margin"),
        config.numberOption("bce_weight"), config.numberOption("backbone_lr_scale"));
  }
}
