package org.medvision.train;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * "Precise BN" (Wu and Johnson, 2021; pycls and Detectron2 do it too): before a model is validated or saved, its
 * BatchNorm running statistics are replaced by the statistics of the current network over a set of training batches,
 * instead of the momentum average that training leaves, which lags behind a network that is still moving fast (the
 * first epochs of training from scratch, and small data sets with few updates per epoch) and was measured with dropout
 * on. The batches run through {@link BatchStatisticsGraph}, so each layer sees inputs normalised by batch statistics
 * upstream, as in training, with dropout and drop-path off, as in validation.
 *
 * <p>Each layer's statistics are pooled exactly over all the batches' elements (Chan's parallel mean and variance), and
 * the variance gets Bessel's correction over the pooled count, as PyTorch's running variance does per batch.
 */
final class BatchNormRecalibration {
  private final BatchStatisticsGraph statistics;

  /** For {@code model}, which must have a BatchNorm layer ({@link BatchStatisticsGraph#applies}). */
  BatchNormRecalibration(Graph model) {
    this.statistics = BatchStatisticsGraph.of(model);
  }

  /** The number of BatchNorm layers recalibrated. */
  int layers() {
    return statistics.layers().size();
  }

  /**
   * The running mean and variance of every BatchNorm layer measured over {@code batches} with {@code weights}.
   *
   * @param batches model inputs, each with the batch on axis 0, read one at a time; at least one, with two elements
   *     per channel in all
   * @return buffer values by buffer name, for {@link org.medvision.api.training.TrainingSession#assignBuffers}
   */
  Map<String, Tensor> measure(Engine engine, Weights weights, CompileOptions options,
      Iterator<Map<String, Tensor>> batches) {
    Graph graph = statistics.graph();
    Map<String, Tensor> used = new LinkedHashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      used.put(p.name(), weights.tensors().get(p.name()));
    }
    Map<String, Pooled> pooled = new LinkedHashMap<>();
    statistics.layers().forEach(l -> pooled.put(l.node(), new Pooled(l.channels())));
    try (CompiledModel model = engine.compile(graph, new Weights(used, weights.metadata(), weights.source()),
        options)) {
      while (batches.hasNext()) {
        Map<String, Tensor> batch = batches.next();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        Map<String, Shape> shapes = new LinkedHashMap<>();
        graph.inputs().forEach(i -> {
          feeds.put(i.name(), batch.get(i.name()));
          shapes.put(i.name(), batch.get(i.name()).shape());
        });
        Map<String, Tensor> out = model.run(feeds);
        var infos = graph.valueInfos(shapes);
        for (BatchStatisticsGraph.Layer l : statistics.layers()) {
          Shape input = infos.get(l.input()).shape();
          long perChannel = input.size() / l.channels();
          pooled.get(l.node()).add(perChannel, out.get(l.meanOutput()).toFloatArray(),
              out.get(l.varianceOutput()).toFloatArray());
        }
      }
    }
    Map<String, Tensor> buffers = new LinkedHashMap<>();
    for (BatchStatisticsGraph.Layer l : statistics.layers()) {
      Pooled p = pooled.get(l.node());
      buffers.put(l.runningMean(), Tensor.ofFloats(p.mean(), l.channels()));
      buffers.put(l.runningVar(), Tensor.ofFloats(p.unbiasedVariance(), l.channels()));
    }
    return buffers;
  }

  /** Per-channel count, mean and sum of squared deviations, merged batch by batch. */
  private static final class Pooled {
    private long count;
    private final double[] mean;
    private final double[] squares;

    Pooled(int channels) {
      mean = new double[channels];
      squares = new double[channels];
    }

    /** Merges a batch of {@code n} elements per channel with biased variances {@code variance}. */
    void add(long n, float[] batchMean, float[] variance) {
      long total = count + n;
      for (int c = 0; c < mean.length; c++) {
        double delta = batchMean[c] - mean[c];
        mean[c] += delta * n / total;
        squares[c] += (double) variance[c] * n + delta * delta * count * n / total;
      }
      count = total;
    }

    float[] mean() {
      float[] out = new float[mean.length];
      for (int c = 0; c < out.length; c++) {
        out[c] = (float) mean[c];
      }
      return out;
    }

    float[] unbiasedVariance() {
      float[] out = new float[squares.length];
      for (int c = 0; c < out.length; c++) {
        out[c] = (float) (squares[c] / Math.max(1, count - 1));
      }
      return out;
    }
  }
}
