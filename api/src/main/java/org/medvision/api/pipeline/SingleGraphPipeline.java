package org.medvision.api.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Batches;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * The pipeline of a task whose model is one graph: the batch is collated, every graph input is fed from the example
 * key the schema names, the {@value #STAGE} stage runs, and each declared output becomes a typed prediction
 * (softmax of class logits, sigmoid of label logits, maps and images split per example).
 */
public final class SingleGraphPipeline implements Pipeline {
  /** The stage this pipeline runs. */
  public static final String STAGE = "model";

  private final DataSchema schema;
  private final List<OutputSpec> outputs;
  private final float labelThreshold;

  /**
   * A pipeline feeding the graph as {@code schema} says and reading {@code outputs}.
   *
   * @param labelThreshold the probability from which a multi-label output's label counts as present
   */
  public SingleGraphPipeline(DataSchema schema, List<OutputSpec> outputs, float labelThreshold) {
    this.schema = schema;
    this.outputs = List.copyOf(outputs);
    this.labelThreshold = labelThreshold;
  }

  /** The graph inputs of a batch, each fed from the key the schema names. */
  public static Map<String, Tensor> feeds(DataSchema schema, Map<String, Tensor> collated) {
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    schema.graphInputs().forEach((input, key) -> {
      Tensor t = collated.get(key);
      if (t == null) {
        throw new MedvisionException("graph input '" + input + "' reads '" + key + "', which the batch lacks; it has "
            + collated.keySet());
      }
      feeds.put(input, t);
    });
    return feeds;
  }

  @Override
  public List<ExampleResult> predict(List<Example> batch, StageRunner stages) {
    Map<String, Tensor> results = stages.run(STAGE, feeds(schema, Batches.collate(batch)));
    List<ExampleResult> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Map<String, Prediction> predictions = new LinkedHashMap<>();
      for (OutputSpec o : outputs) {
        Tensor t = results.get(o.name());
        if (t == null) {
          throw new MedvisionException("the model returned no output '" + o.name() + "'; it returned "
              + results.keySet());
        }
        predictions.put(o.name(), read(o, t, i, batch.size()));
      }
      out.add(new ExampleResult(batch.get(i).id(), predictions));
    }
    return out;
  }

  private Prediction read(OutputSpec o, Tensor batched, int i, int count) {
    Shape s = batched.shape();
    if (s.rank() == 0 || s.dim(0) < count) {
      throw new MedvisionException("output '" + o.name() + "' has shape " + s + "; expected a batch of " + count);
    }
    Tensor row = Batches.row(batched, i);
    switch (o.kind()) {
      case CLASS_LOGITS:
        return new ClassProbabilities(o.labels(), Probabilities.softmax(logits(o, row)));
      case MULTILABEL_LOGITS:
        return new LabelProbabilities(o.labels(), Probabilities.sigmoid(logits(o, row)), labelThreshold);
      case SPATIAL_MAP: {
        Shape m = row.shape();
        if (m.rank() < 3 || m.dim(0) != 1) {
          throw new MedvisionException("map output '" + o.name() + "' must be [N, 1, h, w] or [N, 1, d, h, w], got "
              + s);
        }
        long[] dims = new long[m.rank() - 1];
        System.arraycopy(m.dims(), 1, dims, 0, dims.length);
        return new SpatialMap(row.reshape(Shape.of(dims)), o.alignedTo());
      }
      case IMAGE:
        return new GeneratedImage(row, o.alignedTo());
      default:
        throw new AssertionError(o.kind());
    }
  }

  private static float[] logits(OutputSpec o, Tensor row) {
    if (row.shape().rank() != 1 || row.shape().dim(0) != o.labels().size()) {
      throw new MedvisionException("output '" + o.name() + "' has " + row.shape() + " per example; expected ["
          + o.labels().size() + "] for labels " + o.labels());
    }
    return row.toFloatArray();
  }
}
