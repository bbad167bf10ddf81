package org.medvision.tasks.cxrprototype;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.GraphRunner;
import org.medvision.api.training.ParameterComputation;
import org.medvision.tasks.common.BertEncoder;
import org.medvision.tasks.common.text.BertBatch;
import org.medvision.tasks.common.text.BertFolder;

/**
 * Each label's text embedding from a frozen BERT, computed once before training: the label's text (its name with
 * {@code _} as a space, through the {@code label_text} template) is tokenised with the folder's WordPiece vocabulary,
 * run through BERT, and its last-layer states are averaged over its word pieces, leaving out {@code [CLS]},
 * {@code [SEP]} and padding (papers.md §5.2's proposal; the paper does not say how it pools). The result fills
 * {@code label_embeddings} [K, H], which the recipe freezes and the checkpoint keeps: evaluation and prediction read
 * it from there and need no BERT.
 */
final class LabelEmbeddings implements ParameterComputation {
  private final Path folder;
  private final List<String> classes;
  private final String template;

  LabelEmbeddings(Path folder, List<String> classes, String template) {
    this.folder = folder;
    this.classes = List.copyOf(classes);
    this.template = template;
  }

  @Override
  public String description() {
    return "text embeddings of " + classes.size() + " labels (mean of BERT's last-layer word-piece states) from "
        + folder;
  }

  /**
   * Reads the folder, tokenises and runs BERT.
   *
   * @throws org.medvision.api.MedvisionException for an unusable BERT folder (naming the file)
   */
  @Override
  public Map<String, Tensor> compute(GraphRunner runner, List<String> notes) {
    BertFolder bert = BertFolder.read(folder);
    notes.addAll(bert.warnings());
    List<String> texts = new ArrayList<>();
    List<String> pieces = new ArrayList<>();
    for (String c : classes) {
      String text = CxrLabels.text(c, template);
      texts.add(text);
      pieces.add(text + " = " + String.join(" ", bert.tokenizer().tokenize(text)));
    }
    BertBatch batch = bert.tokenizer().encodeAll(texts);
    notes.add("label texts as word pieces: " + String.join("; ", pieces));
    Map<String, Tensor> out = runner.run(bert.prototypeGraph(batch.length()), bert.weights(), batch.inputs(true));
    return Map.of(CxrPrototypeModel.LABEL_EMBEDDINGS, out.get(BertEncoder.MEAN_POOLED));
  }
}
