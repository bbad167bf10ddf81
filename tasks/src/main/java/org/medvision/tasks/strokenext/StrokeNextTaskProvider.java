package org.medvision.tasks.strokenext;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.GraphBuilder;
import org.medvision.api.graph.Value;
import org.medvision.api.model.Encoder;
import org.medvision.api.model.Fusion;
import org.medvision.api.model.Head;
import org.medvision.api.registry.NamedRegistry;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.InputSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.weights.KeyMap;
import org.medvision.tasks.common.Conv1dFusion;
import org.medvision.tasks.common.ConvNextEncoder;
import org.medvision.tasks.common.ConvNextVariant;

/**
 * StrokeNeXt: Leo Thomas Ramos and Ángel D. Sappa, "StrokeNeXt: A Siamese-encoder Approach for Brain Stroke
 * Classification in Computed Tomography Imagery", arXiv 2602.15087, 2026.
 *
 * <p>The model, as in the authors' PyTorch code: two ConvNeXt encoders of one size with separate weights
 * ({@code encoder1}, {@code encoder2}: features plus global average pooling, no final norm), the Conv1d fusion
 * ({@code fusion}) and an MLP classifier ({@code classifier}). These are the authors' module attribute names, so
 * parameters are named {@code encoder1.stages.0.blocks.0.conv_dw.weight} (timm names inside the encoder),
 * {@code fusion.conv_reduce.weight}, {@code classifier.0.weight}; {@link StrokeNextKeyMaps#torchvisionKeyMap()}
 * renames a checkpoint saved from the authors' torchvision-based module to these.
 *
 * <p>Configuration:
 * <ul>
 *   <li>variants: the ConvNeXt sizes atto, femto, pico, nano (timm only) and tiny, small, base, large (the paper's);
 *   <li>subtasks: {@code 3class} (normal, ischemic, hemorrhagic), {@code presence} (normal, stroke; the paper's
 *       scenario A), {@code subtype} (ischemic, hemorrhagic; scenario B);
 *   <li>fusions: {@code conv1d} (the paper), {@code concat} and {@code sum} (the RQ3 ablation), and {@code single}, one
 *       encoder straight into the classifier (the RQ1 single-branch baseline);
 *   <li>option {@code fusion_hidden}: the Conv1d fusion's hidden size h (the authors' {@code fusion_hidden}); absent
 *       means h = d, the code default;
 *   <li>option {@code drop_path}: the encoders' stochastic depth rate; absent means torchvision's rate for the
 *       variant (0.1 tiny, 0.4 small, 0.5 base and large, which the authors' pretrained encoders train with; 0 for
 *       atto..nano). It only matters in training. No other option is accepted.
 * </ul>
 *
 * <p>Inputs {@code image1} and {@code image2} are [N, 3, S, S] with ImageNet normalisation; both take the same image
 * (source {@code image}), as the authors' demo feeds it; {@code single} has only {@code image1}. The output
 * {@code logits} [N, classes] holds class logits in label order.
 */
public final class StrokeNextTaskProvider implements TaskProvider {
  /** The registry name. */
  public static final String NAME = "strokenext";
  /** The fusion name for the one-encoder baseline. */
  public static final String SINGLE = "single";
  /** The option that sets the Conv1d fusion's hidden size. */
  public static final String FUSION_HIDDEN = "fusion_hidden";
  /** The option that sets the encoders' stochastic depth rate. */
  public static final String DROP_PATH = "drop_path";

  private static final String ENCODER = "convnext";
  private static final String HEAD = "strokenext-mlp";
  private static final int MIN_IMAGE_SIZE = 32;
  private static final List<String> FUSIONS = List.of("conv1d", "concat", "sum", SINGLE);
  private static final Map<String, List<String>> LABELS = labels();

  /** Creates the provider; the service loader needs this public no-argument constructor. */
  public StrokeNextTaskProvider() {}

  private static Map<String, List<String>> labels() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("3class", List.of("normal", "ischemic", "hemorrhagic"));
    m.put("presence", List.of("normal", "stroke"));
    m.put("subtype", List.of("ischemic", "hemorrhagic"));
    return Collections.unmodifiableMap(m);
  }

  /** {@code strokenext}. */
  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "brain stroke classification on CT: two ConvNeXt encoders, Conv1d fusion, MLP head";
  }

  /** Ramos &amp; Sappa 2026. */
  @Override
  public String citation() {
    return "Leo Thomas Ramos, Angel D. Sappa. StrokeNeXt: A Siamese-encoder Approach for Brain Stroke Classification"
        + " in Computed Tomography Imagery. arXiv:2602.15087, 2026.";
  }

  /** atto, femto, pico, nano, tiny, small, base, large. */
  @Override
  public List<String> variants() {
    return encoders().get(ENCODER).variants();
  }

  /** 3class, presence, subtype. */
  @Override
  public List<String> subtasks() {
    return List.copyOf(LABELS.keySet());
  }

  /** conv1d, concat, sum, single. */
  @Override
  public List<String> fusions() {
    return FUSIONS;
  }

  /** tiny, 3class, conv1d, 224 pixels, no options. */
  @Override
  public TaskConfig defaultConfig() {
    return new TaskConfig("tiny", "3class", "conv1d", 224, Map.of());
  }

  /** The class names of {@code subtask}, in logit order. */
  public static List<String> labels(String subtask) {
    List<String> labels = LABELS.get(subtask);
    if (labels == null) {
      throw new UnknownNameException(NAME + " subtask", subtask, List.copyOf(LABELS.keySet()), "");
    }
    return labels;
  }

  /**
   * Builds the model.
   *
   * @throws UnknownNameException for an unknown variant, subtask or fusion, listing the valid ones
   * @throws MedvisionException for an image size under 32 or an unknown or invalid option
   */
  /** {@code torchvision}: checkpoints saved by the authors' torchvision-based code (see {@link StrokeNextKeyMaps}). */
  @Override
  public Map<String, KeyMap> keyMaps() {
    return Map.of("torchvision", StrokeNextKeyMaps.torchvisionKeyMap());
  }

  @Override
  public Task create(TaskConfig config) {
    Encoder encoder = encoders().get(ENCODER);
    if (!encoder.variants().contains(config.variant())) {
      throw new UnknownNameException(NAME + " variant", config.variant(), encoder.variants(), "");
    }
    List<String> labels = labels(config.subtask());
    if (!FUSIONS.contains(config.fusion())) {
      throw new UnknownNameException(NAME + " fusion", config.fusion(), FUSIONS, "");
    }
    if (config.imageSize() < MIN_IMAGE_SIZE) {
      throw new MedvisionException(NAME + ": image size " + config.imageSize() + " is too small; ConvNeXt reduces by"
          + " 32, so it needs at least " + MIN_IMAGE_SIZE);
    }
    checkOptions(config);
    Fusion fusion = SINGLE.equals(config.fusion()) ? null : fusion(config);
    Head head = NamedRegistry.discover(Head.class, loader(), "head", "").get(HEAD);
    ImagePreprocessing prep = ImagePreprocessing.imagenet(config.imageSize());
    Graph graph = graph(config, encoder, fusion, head, labels, prep);
    List<InputSpec> inputs = new ArrayList<>();
    for (int i = 1; i <= (fusion == null ? 1 : 2); i++) {
      inputs.add(new InputSpec("image" + i, "image", prep));
    }
    List<OutputSpec> outputs = List.of(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, labels));
    return Task.of(NAME, config, graph, inputs, outputs);
  }

  private static void checkOptions(TaskConfig config) {
    for (String key : config.options().keySet()) {
      if (!key.equals(FUSION_HIDDEN) && !key.equals(DROP_PATH)) {
        throw new MedvisionException(NAME + ": unknown option '" + key + "'; supported: " + FUSION_HIDDEN + ", "
            + DROP_PATH);
      }
    }
    if (config.options().containsKey(FUSION_HIDDEN) && !config.fusion().equals("conv1d")) {
      throw new MedvisionException(NAME + ": option " + FUSION_HIDDEN + " applies to the conv1d fusion only, not '"
          + config.fusion() + "'");
    }
  }

  private static Fusion fusion(TaskConfig config) {
    String hidden = config.options().get(FUSION_HIDDEN);
    if (hidden == null) {
      return NamedRegistry.discover(Fusion.class, loader(), "fusion", "").get(config.fusion());
    }
    try {
      int h = Integer.parseInt(hidden.trim());
      if (h < 1) {
        throw new NumberFormatException();
      }
      return new Conv1dFusion(h, Conv1dFusion.PAPER_DROPOUT);
    } catch (NumberFormatException e) {
      throw new MedvisionException(NAME + ": option " + FUSION_HIDDEN + " must be a positive integer, got '" + hidden
          + "'", e);
    }
  }

  private static float dropPath(TaskConfig config) {
    String text = config.options().get(DROP_PATH);
    if (text == null) {
      return ConvNextVariant.of(config.variant()).stochasticDepth();
    }
    try {
      float rate = Float.parseFloat(text.trim());
      if (rate >= 0 && rate < 1) {
        return rate;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MedvisionException(NAME + ": option " + DROP_PATH + " must be a number in [0, 1), got '" + text + "'");
  }

  private static Value encode(Encoder encoder, GraphBuilder b, Value image, String variant, float dropPath) {
    if (encoder instanceof ConvNextEncoder) {
      return ((ConvNextEncoder) encoder).encode(b, image, variant, dropPath);
    }
    return encoder.encode(b, image, variant);
  }

  private static Graph graph(TaskConfig config, Encoder encoder, Fusion fusion, Head head, List<String> labels,
      ImagePreprocessing prep) {
    String variant = config.variant();
    int size = config.imageSize();
    GraphBuilder b = new GraphBuilder(NAME + "-" + variant + "-" + config.subtask() + "-" + config.fusion());
    Shape inputShape = Shape.of(Shape.DYNAMIC, 3, size, size);
    Value image1 = b.input("image1", DType.FLOAT32, inputShape);
    float dropPath = dropPath(config);
    Value f1 = b.within("encoder1", () -> encode(encoder, b, image1, variant, dropPath));
    Value fused;
    if (fusion == null) {
      fused = f1;
    } else {
      Value image2 = b.input("image2", DType.FLOAT32, inputShape);
      Value f2 = b.within("encoder2", () -> encode(encoder, b, image2, variant, dropPath));
      fused = b.within("fusion", () -> fusion.fuse(b, List.of(f1, f2)));
    }
    Value logits = b.within("classifier", () -> head.apply(b, fused, labels.size()));
    b.output("logits", logits);
    b.metadata("task", NAME)
        .metadata("variant", variant)
        .metadata("subtask", config.subtask())
        .metadata("fusion", config.fusion())
        .metadata("image_size", Integer.toString(size))
        .metadata("labels", String.join(",", labels))
        .metadata("preprocessing.mean", join(prep.mean()))
        .metadata("preprocessing.std", join(prep.std()));
    config.options().forEach((k, v) -> b.metadata("option." + k, v));
    return b.build();
  }

  private static String join(float[] values) {
    List<String> parts = new ArrayList<>();
    for (float v : values) {
      parts.add(Float.toString(v));
    }
    return String.join(",", parts);
  }

  private static NamedRegistry<Encoder> encoders() {
    return NamedRegistry.discover(Encoder.class, loader(), "encoder", "");
  }

  private static ClassLoader loader() {
    return StrokeNextTaskProvider.class.getClassLoader();
  }
}
