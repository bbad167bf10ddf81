package org.medvision.tasks.covidsa;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.ClassificationSuite;
import org.medvision.api.metrics.MapOverlapSuite;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.EnsembleSpec;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.weights.KeyMap;
import org.medvision.tasks.common.ResNet3dKeyMaps;

/**
 * DSA-Net: Xi Ouyang, Jiayu Huo, Liming Xia, Fei Shan, Jun Liu, Zhanhao Mo, Fuhua Yan, Zhongxiang Ding, Qi Yang, Bin
 * Song, Feng Shi, Huan Yuan, Ying Wei, Xiaohuan Cao, Yaozong Gao, Dijia Wu, Qian Wang and Dinggang Shen,
 * "Dual-Sampling Attention Network for Diagnosis of COVID-19 from Community Acquired Pneumonia", IEEE Transactions on
 * Medical Imaging 39(8):2595–2605, 2020, doi 10.1109/TMI.2020.2995508, arXiv 2005.02690.
 *
 * <p>COVID-19 vs community-acquired pneumonia (CAP) on chest CT. The model ({@link CovidDsaModel}): a 3-D ResNet
 * (resnet34 by default, the paper's) over the lung-cropped CT, an online attention map on its last feature map that
 * re-weights the features ({@code F ⊙ (1 + A)}) and is supervised by infection masks where a scan has one, and a
 * linear classifier. Two models trained with different samplers, uniform and size-balanced
 * ({@link SizeBalancedSampler}), form the paper's ensemble (mean of their class probabilities). The paper's method
 * sections could not be retrieved; what is not in its abstract follows papers.md §3.3's proposal, and the Javadoc of
 * each part says which.
 *
 * <p>Variants: {@code resnet10}, {@code resnet18}, {@code resnet34} (default), {@code resnet50}, with Hara's and
 * MedicalNet's parameter names ({@code conv1}, {@code bn1}, {@code layer1.0.conv1}, ...,
 * {@code layer2.0.downsample.0}), plus {@code attention.weight} [1, C, 1, 1, 1], {@code attention.bias} [1] and
 * {@code fc.weight} [2, C], {@code fc.bias} [2]. Options: {@link CovidDsaConfig#OPTIONS} ({@code input},
 * {@code conv1_t_stride}, {@code shortcut}, {@code layout}; training-only {@code attention_weight}, {@code sampler},
 * {@code size_bins}).
 *
 * <p>Data ({@link CovidDsaSchema}): manifest columns {@code ct}, {@code lung_mask} (required), {@code infection_mask}
 * (optional), {@code label} ({@code cap}/{@code covid} and synonyms such as {@code COVID-19}, {@code NCP},
 * {@code CAP}), optional {@code infection_ratio}. Outputs: {@code logits} [N, 2] (classes {@code cap, covid}; COVID-19
 * is the positive class), {@code attention} [N, 1, d, h, w] in [0, 1] over the cropped CT, and
 * {@code attention_logits}, its pre-sigmoid values. Metrics: classification (AUC, accuracy, sensitivity, specificity,
 * F1) and {@link MapOverlapSuite} of the attention map against the infection mask.
 *
 * <p>Backbone checkpoints: {@code train --init} with key map {@code medicalnet} loads MedicalNet's
 * {@code resnet_<depth>.pth} (converted to safetensors) into {@code layout=medicalnet} of the same depth; key map
 * {@code hara} loads a 1-channel Hara checkpoint into {@code layout=hara}. Both strip a {@code module.} prefix and drop
 * the checkpoint's own head ({@code conv_seg} or {@code fc}), and every {@code conv1}, {@code bn1} and
 * {@code layer1..4} parameter must be in the checkpoint.
 */
public final class CovidDsaTaskProvider implements TaskProvider {
  /** The registry name. */
  public static final String NAME = "covid-dsa";
  /** Parameters a backbone checkpoint must cover: the 3-D ResNet, not the attention module or the classifier. */
  public static final String BACKBONE = "(conv1|bn1|layer[1-4])\\..+";

  private static final List<String> VARIANTS = List.of("resnet10", "resnet18", "resnet34", "resnet50");

  /** Creates the provider; the service loader needs this public no-argument constructor. */
  public CovidDsaTaskProvider() {}

  /** {@code covid-dsa}. */
  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "COVID-19 vs community-acquired pneumonia on chest CT: 3-D ResNet with mask-guided online attention, "
        + "uniform and size-balanced sampling ensemble";
  }

  /** Ouyang et al., IEEE TMI 2020. */
  @Override
  public String citation() {
    return "Xi Ouyang, Jiayu Huo, Liming Xia, Fei Shan, Jun Liu, Zhanhao Mo, Fuhua Yan, Zhongxiang Ding, Qi Yang, Bin"
        + " Song, Feng Shi, Huan Yuan, Ying Wei, Xiaohuan Cao, Yaozong Gao, Dijia Wu, Qian Wang, Dinggang Shen."
        + " Dual-Sampling Attention Network for Diagnosis of COVID-19 from Community Acquired Pneumonia. IEEE"
        + " Transactions on Medical Imaging 39(8):2595-2605, 2020. doi:10.1109/TMI.2020.2995508. arXiv:2005.02690.";
  }

  /** resnet10, resnet18, resnet34, resnet50. */
  @Override
  public List<String> variants() {
    return VARIANTS;
  }

  /** resnet34, the paper's backbone. */
  @Override
  public String defaultVariant() {
    return "resnet34";
  }

  @Override
  public List<OptionSpec> options() {
    return CovidDsaConfig.OPTIONS;
  }

  /**
   * {@code medicalnet}: MedicalNet's {@code resnet_<depth>.pth} state dicts (for {@code layout=medicalnet});
   * {@code hara}: a 1-channel Hara 3D-ResNets state dict (for {@code layout=hara}). See {@link ResNet3dKeyMaps}.
   */
  @Override
  public Map<String, KeyMap> keyMaps() {
    Map<String, KeyMap> m = new LinkedHashMap<>();
    m.put("medicalnet", ResNet3dKeyMaps.medicalNet());
    m.put("hara", ResNet3dKeyMaps.haraBackbone());
    return m;
  }

  /**
   * Builds the model.
   *
   * @throws UnknownNameException for an unknown variant or option, listing the valid ones
   * @throws org.medvision.api.MedvisionException for an invalid value, or an input that is not a multiple of the
   *     network's total stride
   */
  @Override
  public Task create(TaskConfig config) {
    TaskConfig resolved = configure(config.variant(), config.options());
    CovidDsaConfig c = CovidDsaConfig.of(resolved);
    List<String> classes = CovidDsaLabels.CLASSES;
    Graph graph = CovidDsaModel.graph(c, classes);
    Map<String, Map<String, String>> members = new LinkedHashMap<>();
    members.put(CovidDsaConfig.UNIFORM, Map.of("sampler", CovidDsaConfig.UNIFORM));
    members.put(CovidDsaConfig.SIZE_BALANCED, Map.of("sampler", CovidDsaConfig.SIZE_BALANCED));
    return Task.builder(NAME, resolved, graph)
        // Chest CT (lung window); DICOM names the region CHEST, LUNG or THORAX.
        .acquisition(Acquisition.of(Set.of("CT"), Set.of("CHEST", "LUNG", "THORAX")))
        .data(CovidDsaSchema.of(c))
        .output(new OutputSpec(CovidDsaModel.LOGITS, OutputSpec.Kind.CLASS_LOGITS, classes))
        .output(OutputSpec.over(CovidDsaModel.ATTENTION, OutputSpec.Kind.SPATIAL_MAP, CovidDsaSchema.CT))
        .training(new CovidDsaRecipe(graph, c))
        // AUC is the paper's headline and, with 60/40 classes, steadier than accuracy on a small validation split.
        .metrics(() -> new ClassificationSuite(CovidDsaModel.LOGITS, CovidDsaSchema.LABEL, classes, "auroc"))
        .metrics(() -> new MapOverlapSuite(CovidDsaModel.ATTENTION, CovidDsaModel.ATTENTION,
            CovidDsaSchema.INFECTION_MASK))
        .ensemble(new EnsembleSpec(members, "dual sampling: the mean class probabilities of a uniform-sampling and a"
            + " size-balanced-sampling model"))
        .backbone(BACKBONE)
        .build();
  }

  /** The ResNet depth of {@code variant}, e.g. 34 for {@code resnet34}. */
  static int depth(String variant) {
    if (!VARIANTS.contains(variant)) {
      throw new UnknownNameException(NAME + " variant", variant, VARIANTS, "");
    }
    return Integer.parseInt(variant.substring("resnet".length()));
  }
}
