package org.medvision.tasks.cxrprototype;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.MultiLabelSuite;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.KeyMap;
import org.medvision.tasks.common.ConvNextKeyMaps;
import org.medvision.tasks.common.ConvNextVariant;
import org.medvision.tasks.common.BertConfig;

/**
 * Multi-label chest radiograph classification with label prototypes: Yufei Jin, Huijuan Lu, Wenjie Zhu and Wanli
 * Huo, "Deep metric learning for multi-label chest X-ray classification with a dual-weighted metric loss",
 * Computers in Biology and Medicine 157:106683, 2023.
 *
 * <p>The paper's abstract fixes the idea: ConvNeXt image vectors and BioBERT label vectors mapped into one metric
 * space, each label's semantic vector its class prototype, and a loss weighted at the image and the category level;
 * ChestX-ray14, mean AUC 0.826. Its method section was not retrieved, so the model ({@link CxrPrototypeModel}), the
 * loss ({@link DualWeightedMetricLoss}) and the training settings ({@link CxrPrototypeRecipe}) follow papers.md
 * §5.2's proposal; each class says what is proposed.
 *
 * <p>Variants: the ConvNeXt sizes (tiny is the proposal's). Data ({@link CxrPrototypeSchema}): a ChestX-ray14 folder
 * ({@code Data_Entry_2017.csv} with its split lists) or a manifest {@code path,labels[,patient_id]} with
 * {@code |}-separated findings. Output {@code logits} [N, 14] (sigmoid probabilities per finding) and
 * {@code similarity} [N, 14] (image-prototype cosines). Training needs a BERT folder ({@code --text-encoder}); the
 * label embeddings it gives are kept in the checkpoint, so evaluation and prediction need none.
 *
 * <p>Backbone checkpoints: {@code train --init} with key map {@code timm} loads a timm {@code convnext_*} state dict
 * (its {@code head.norm} too, its classifier {@code head.fc} dropped); {@code torchvision} loads torchvision's.
 */
public final class CxrPrototypeTaskProvider implements TaskProvider {
  /** The registry name. */
  public static final String NAME = "cxr-prototype";
  /** Parameters a backbone checkpoint must cover: the ConvNeXt, not the projections or the label embeddings. */
  public static final String BACKBONE = "(stem|stages)\\..+";

  /** Creates the provider; the service loader needs this public no-argument constructor. */
  public CxrPrototypeTaskProvider() {}

  /** {@code cxr-prototype}. */
  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "multi-label chest X-ray (14 ChestX-ray14 findings): ConvNeXt image vectors against BERT label "
        + "prototypes, dual-weighted metric loss";
  }

  /** Jin et al., Comput Biol Med 2023. */
  @Override
  public String citation() {
    return "Yufei Jin, Huijuan Lu, Wenjie Zhu, Wanli Huo. Deep metric learning for multi-label chest X-ray "
        + "classification with a dual-weighted metric loss. Computers in Biology and Medicine 157:106683, 2023. "
        + "doi:10.1016/j.compbiomed.2023.106683.";
  }

  @Override
  public List<String> variants() {
    return ConvNextVariant.names();
  }

  /** tiny, the proposal's ConvNeXt-Tiny. */
  @Override
  public String defaultVariant() {
    return "tiny";
  }

  @Override
  public List<OptionSpec> options() {
    return CxrPrototypeConfig.OPTIONS;
  }

  /** {@code --text-encoder DIR} sets {@code text_encoder}. */
  @Override
  public Map<String, String> optionAliases() {
    return Map.of("text-encoder", CxrPrototypeConfig.TEXT_ENCODER);
  }

  /**
   * The options, with {@code text_encoder} made absolute and {@code text_dim=auto} resolved: the text encoder's
   * hidden size when one is given (read from its {@code config.json}), else BioBERT's 768. A checkpoint so records
   * the number, and loads without the folder.
   *
   * @throws org.medvision.api.MedvisionException for a text encoder folder without a readable config.json
   */
  @Override
  public TaskConfig configure(String variant, Map<String, String> overrides) {
    TaskConfig c = TaskProvider.super.configure(variant, overrides);
    String folder = c.option(CxrPrototypeConfig.TEXT_ENCODER);
    if (!folder.isEmpty()) {
      c = c.with(CxrPrototypeConfig.TEXT_ENCODER, Path.of(folder).toAbsolutePath().normalize().toString());
    }
    if (c.option(CxrPrototypeConfig.TEXT_DIM).equals(CxrPrototypeConfig.AUTO)) {
      int dim = folder.isEmpty() ? CxrPrototypeConfig.BIOBERT_HIDDEN
          : BertConfig.read(Path.of(folder).resolve("config.json")).hiddenSize();
      c = c.with(CxrPrototypeConfig.TEXT_DIM, Integer.toString(dim));
    }
    return c;
  }

  /**
   * {@code timm}: a timm {@code convnext_*} state dict (keeps {@code head.norm}, drops {@code head.fc});
   * {@code torchvision}: a torchvision {@code convnext_*} one ({@code classifier.0} becomes {@code head.norm}).
   */
  @Override
  public Map<String, KeyMap> keyMaps() {
    Map<String, KeyMap> m = new LinkedHashMap<>();
    m.put("timm", KeyMap.builder().drop("^head\\.fc\\.").build());
    m.put("torchvision", ConvNextKeyMaps.addTorchvisionRules(KeyMap.builder(), "features.", "")
        .rename("^classifier\\.0\\.", "head.norm.").drop("^classifier\\.2\\.").build());
    return m;
  }

  /**
   * Builds the model.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown variant or option
   */
  @Override
  public Task create(TaskConfig config) {
    TaskConfig resolved = configure(config.variant(), config.options());
    CxrPrototypeConfig c = CxrPrototypeConfig.of(resolved);
    LabelField labels = CxrLabels.field();
    ImagePreprocessing prep = ImagePreprocessing.imagenet(c.imageSize());
    Graph graph = CxrPrototypeModel.graph(c, labels.classes(), prep);
    ImageField image = ImageField.of(CxrPrototypeModel.IMAGE, "path", prep, Windowing.file());
    DataSchema schema = new DataSchema(List.of(image, labels), Map.of(CxrPrototypeModel.IMAGE,
        CxrPrototypeModel.IMAGE), "");
    return Task.builder(NAME, resolved, graph)
        // Chest radiographs: computed (CR) or digital (DX) radiography.
        .acquisition(Acquisition.of(Set.of("CR", "DX"), Set.of("CHEST")))
        .data(schema)
        .output(new OutputSpec(CxrPrototypeModel.LOGITS, OutputSpec.Kind.MULTILABEL_LOGITS, labels.classes()))
        .training(new CxrPrototypeRecipe(graph, c, labels.classes()))
        .metrics(() -> new MultiLabelSuite(CxrPrototypeModel.LOGITS, CxrLabels.FIELD, labels.classes()))
        .backbone(BACKBONE)
        .build();
  }
}
