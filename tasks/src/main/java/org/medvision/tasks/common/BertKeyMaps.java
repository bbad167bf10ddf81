package org.medvision.tasks.common;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.Weights;

/**
 * Loads Hugging Face BERT checkpoints into a {@link BertEncoder} graph.
 *
 * <p>A {@code BertModel}'s own state dict already has the encoder's names. Models that wrap one
 * ({@code BertForPreTraining}, {@code BertForMaskedLM}, {@code BertForSequenceClassification}, and the BioBERT
 * conversions from TensorFlow) prefix it with {@code bert.} and add heads ({@code cls.*}, {@code classifier.*}) that
 * the encoder does not have; older conversions call LayerNorm's parameters {@code gamma} and {@code beta}, and older
 * Hugging Face versions save the {@code embeddings.position_ids} buffer. {@link #huggingFace()} takes all of these.
 */
public final class BertKeyMaps {
  private static final String PREFIX = "^(?:bert\\.)?";

  private BertKeyMaps() {}

  /**
   * Strips a {@code bert.} prefix, renames {@code LayerNorm.gamma/beta} to {@code weight/bias}, and drops heads
   * ({@code cls.*}, {@code classifier.*}) and the {@code position_ids} buffer.
   */
  public static KeyMap huggingFace() {
    return KeyMap.builder()
        .drop("^cls\\.")
        .drop("^classifier\\.")
        .drop(PREFIX + "embeddings\\.position_ids$")
        .rename(PREFIX + "(.*\\.LayerNorm)\\.gamma$", "$1.weight")
        .rename(PREFIX + "(.*\\.LayerNorm)\\.beta$", "$1.bias")
        .rename("^bert\\.", "")
        .build();
  }

  /**
   * Maps {@code checkpoint} with {@link #huggingFace()} and fits it to {@code graph}. A checkpoint with a pooler loads
   * into a graph without one (the pooler is dropped); the reverse is an error.
   *
   * @param configSource the configuration the graph was built from (a {@code config.json} path), for messages
   * @return the weights in graph order, as float32
   * @throws MedvisionException naming the tensor, the checkpoint's shape and the shape the configuration implies
   *     when they disagree, or listing what is missing or left over
   */
  public static Weights fit(Weights checkpoint, Graph graph, String configSource) {
    Weights mapped = huggingFace().apply(checkpoint);
    List<String> problems = new ArrayList<>();
    for (ParameterSpec p : graph.parameters()) {
      Tensor t = mapped.tensors().get(p.name());
      if (t != null && !t.shape().equals(p.shape())) {
        problems.add("tensor '" + p.name() + "' has shape " + t.shape() + " in " + checkpoint.source() + " but "
            + configSource + " implies " + p.shape());
      }
    }
    if (!problems.isEmpty()) {
      throw new MedvisionException(checkpoint.source() + " does not match " + configSource + ": "
          + String.join("; ", problems));
    }
    List<String> missing = new ArrayList<>();
    for (ParameterSpec p : graph.parameters()) {
      if (!mapped.tensors().containsKey(p.name())) {
        missing.add(p.name());
      }
    }
    List<String> unexpected = new ArrayList<>();
    Map<String, Tensor> kept = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : mapped.tensors().entrySet()) {
      if (graph.parameter(e.getKey()).isPresent()) {
        kept.put(e.getKey(), e.getValue());
      } else if (!e.getKey().startsWith("pooler.")) {
        unexpected.add(e.getKey());
      }
    }
    if (!missing.isEmpty() || !unexpected.isEmpty()) {
      throw new MedvisionException(checkpoint.source() + " does not fit the BERT of " + configSource
          + (missing.isEmpty() ? "" : ": it lacks " + missing.size() + " tensor(s), e.g. " + head(missing))
          + (unexpected.isEmpty() ? "" : (missing.isEmpty() ? ": " : "; ") + "it has " + unexpected.size()
              + " tensor(s) a BERT encoder does not, e.g. " + head(unexpected)));
    }
    return new Weights(kept, mapped.metadata(), mapped.source()).fitTo(graph);
  }

  private static List<String> head(List<String> names) {
    return names.subList(0, Math.min(5, names.size()));
  }
}
