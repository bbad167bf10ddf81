package org.medvision.tasks.strokenext;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.ClassificationSuite;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.KeyMap;
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
 * <p>Variants: the ConvNeXt sizes atto, femto, pico, nano (timm only) and tiny, small, base, large (the paper's).
 * Options: see {@link StrokeNextConfig#OPTIONS} (subtask, fusion, image_size, fusion_hidden; training-only drop_path,
 * label_smoothing, class_weights). The legacy flags {@code --subtask}, {@code --fusion}, {@code --image-size},
 * {@code --label-smoothing} and {@code --class-weights} set them.
 *
 * <p>Data: one image per example (manifest column {@code path}, or a folder per class such as the public data set's
 * {@code Non-Stroke/ Ischemic/ Hemorrhagic/}) and its label (column {@code label}; stroke synonyms accepted). PNG and
 * JPEG files are taken as displayed; DICOM images are windowed with the brain window 40/80 HU unless {@code --window}
 * says otherwise. Inputs {@code image1} and {@code image2} are [N, 3, S, S] with ImageNet normalisation; both take the
 * same image, as the authors' demo feeds it; {@code single} has only {@code image1}. The output {@code logits}
 * [N, classes] holds class logits in label order. Training: cross-entropy with label smoothing (default 0.1) and
 * optional balanced class weights.
 */
public final class StrokeNextTaskProvider implements TaskProvider {
  /** The registry name. */
  public static final String NAME = "strokenext";
  /** The window DICOM inputs are read with. */
  public static final Windowing BRAIN_WINDOW = Windowing.fixed(40, 80);

  /** Creates the provider; the service loader needs this public no-argument constructor. */
  public StrokeNextTaskProvider() {}

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
    return ConvNextVariant.names();
  }

  /** tiny. */
  @Override
  public String defaultVariant() {
    return "tiny";
  }

  @Override
  public List<OptionSpec> options() {
    return StrokeNextConfig.OPTIONS;
  }

  /** subtask, fusion, image-size, label-smoothing and class-weights, the flags of earlier versions. */
  @Override
  public Map<String, String> optionAliases() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("subtask", "subtask");
    m.put("fusion", "fusion");
    m.put("image-size", "image_size");
    m.put("label-smoothing", "label_smoothing");
    m.put("class-weights", "class_weights");
    return m;
  }

  /** The class names of {@code subtask}, in logit order. */
  public static List<String> labels(String subtask) {
    return StrokeNextLabels.SUBTASKS.get(subtask);
  }

  /** {@code torchvision}: checkpoints saved by the authors' torchvision-based code (see {@link StrokeNextKeyMaps}). */
  @Override
  public Map<String, KeyMap> keyMaps() {
    return Map.of("torchvision", StrokeNextKeyMaps.torchvisionKeyMap());
  }

  /**
   * Builds the model.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant or option, listing the valid ones
   * @throws org.medvision.api.MedvisionException for fusion_hidden with a fusion other than conv1d
   */
  @Override
  public Task create(TaskConfig config) {
    TaskConfig resolved = configure(config.variant(), config.options());
    StrokeNextConfig c = StrokeNextConfig.of(resolved);
    LabelField label = StrokeNextLabels.field(c.subtask());
    ImagePreprocessing prep = ImagePreprocessing.imagenet(c.imageSize());
    Graph graph = StrokeNextModel.graph(c, label.classes(), prep);
    ImageField image = ImageField.of("image", "path", prep, BRAIN_WINDOW);
    Map<String, String> inputs = new LinkedHashMap<>();
    inputs.put("image1", "image");
    if (!c.fusion().equals(StrokeNextConfig.SINGLE)) {
      inputs.put("image2", "image");
    }
    DataSchema schema = new DataSchema(List.of(image, label), inputs, "label");
    return Task.builder(NAME, resolved, graph)
        // Non-contrast brain CT, read under the brain window; DICOM names the region HEAD or BRAIN.
        .acquisition(Acquisition.of(Set.of("CT"), Set.of("HEAD", "BRAIN", "SKULL")))
        .data(schema)
        .output(new OutputSpec("logits", OutputSpec.Kind.CLASS_LOGITS, label.classes()))
        .training(new StrokeNextRecipe(graph, c))
        .metrics(() -> new ClassificationSuite("logits", "label", label.classes()))
        .build();
  }
}
