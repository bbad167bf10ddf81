package org.medvision.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.Closeables;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.CompiledModel;
import org.medvision.api.engine.Engine;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Weights;

/**
 * Runs a {@link ModelSource} on an engine: every graph stage of every member compiled once, examples run through the
 * task's pipeline in batches, an ensemble's member results averaged ({@link EnsembleMean}).
 *
 * <p>A stage whose graph has a fixed batch dimension gets exactly that many examples per run, the last batch padded by
 * repeating its final example (padded results are dropped). Holds the compiled models' native resources until
 * {@link #close()}; the engine stays the caller's. {@link #predict} may be called from several threads at once when
 * the engine's compiled models run concurrent calls (all three built-in engines do; DJL serialises them with a lock):
 * it keeps no state between calls; {@link #close()} must not overlap a call.
 */
public final class Predictor implements AutoCloseable {
  private final ModelSource model;
  private final int batchSize;
  private final List<Map<String, CompiledModel>> compiled = new ArrayList<>();

  /**
   * Compiles {@code model} on {@code engine}.
   *
   * @param batchSize examples per pipeline call, at least 1
   * @throws org.medvision.api.engine.EngineException if a stage cannot be compiled; whatever was compiled is closed
   */
  public Predictor(Engine engine, ModelSource model, CompileOptions options, int batchSize) {
    if (batchSize < 1) {
      throw new MedvisionException("batch size must be at least 1, got " + batchSize);
    }
    this.model = model;
    this.batchSize = batchSize;
    try {
      for (ModelSource.Member m : model.members()) {
        Map<String, CompiledModel> stages = new LinkedHashMap<>();
        compiled.add(stages);
        for (Map.Entry<String, Graph> s : model.task().stages().entrySet()) {
          stages.put(s.getKey(), engine.compile(s.getValue(), weightsFor(m.weights(), s.getValue()), options));
        }
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** The subset of {@code all} that {@code stage} declares. */
  private static Weights weightsFor(Weights all, Graph stage) {
    Map<String, Tensor> subset = new LinkedHashMap<>();
    stage.parameters().forEach(p -> {
      Tensor t = all.tensors().get(p.name());
      if (t != null) {
        subset.put(p.name(), t);
      }
    });
    return new Weights(subset, all.metadata(), all.source()).fitTo(stage);
  }

  /** The model being run. */
  public ModelSource model() {
    return model;
  }

  /** Examples per pipeline call. */
  public int batchSize() {
    return batchSize;
  }

  /**
   * Predicts {@code examples} (any number; they are run {@link #batchSize()} at a time).
   *
   * @return one combined result per example, in order
   */
  public List<ExampleResult> predict(List<Example> examples) {
    return EnsembleMean.combine(predictMembers(examples));
  }

  /** Each member's results for {@code examples}, in member order. */
  public List<List<ExampleResult>> predictMembers(List<Example> examples) {
    List<List<ExampleResult>> out = new ArrayList<>();
    for (int m = 0; m < compiled.size(); m++) {
      List<ExampleResult> results = new ArrayList<>(examples.size());
      StageRunner runner = runner(m);
      for (int start = 0; start < examples.size(); start += batchSize) {
        List<Example> chunk = examples.subList(start, Math.min(examples.size(), start + batchSize));
        results.addAll(model.task().pipeline().predict(chunk, runner));
      }
      out.add(results);
    }
    return out;
  }

  /** Runs member {@code member}'s stages. */
  public StageRunner runner(int member) {
    Map<String, CompiledModel> stages = compiled.get(member);
    return (stage, feeds) -> {
      CompiledModel c = stages.get(stage);
      if (c == null) {
        throw new MedvisionException("task " + model.task().name() + " has no stage '" + stage + "'; stages: "
            + stages.keySet());
      }
      return run(c, feeds);
    };
  }

  private static Map<String, Tensor> run(CompiledModel c, Map<String, Tensor> feeds) {
    long fixed = fixedBatch(c.graph());
    long n = feeds.values().iterator().next().shape().dim(0);
    if (fixed <= 0 || fixed == n) {
      return c.run(feeds);
    }
    if (n > fixed) {
      throw new MedvisionException("graph '" + c.graph().name() + "' takes batches of " + fixed + " but got " + n);
    }
    Map<String, Tensor> padded = new LinkedHashMap<>();
    feeds.forEach((k, v) -> padded.put(k, pad(v, (int) fixed)));
    Map<String, Tensor> out = new LinkedHashMap<>();
    c.run(padded).forEach((k, v) -> out.put(k, crop(v, (int) n)));
    return out;
  }

  private static long fixedBatch(Graph g) {
    for (ValueInfo in : g.inputs()) {
      if (in.shape().rank() > 0 && in.shape().dim(0) > 0) {
        return in.shape().dim(0);
      }
    }
    return -1;
  }

  /** {@code t} [n, ...] grown to [size, ...] by repeating its last row. */
  private static Tensor pad(Tensor t, int size) {
    int n = (int) t.shape().dim(0);
    int per = t.byteSize() / n;
    byte[] in = t.toByteArray();
    byte[] out = new byte[per * size];
    for (int i = 0; i < size; i++) {
      System.arraycopy(in, Math.min(i, n - 1) * per, out, i * per, per);
    }
    return Tensor.fromBytes(t.dtype(), t.shape().withDim(0, size), out);
  }

  private static Tensor crop(Tensor t, int n) {
    if (t.shape().rank() == 0) {
      return t;
    }
    int per = t.byteSize() / (int) t.shape().dim(0);
    byte[] out = new byte[per * n];
    System.arraycopy(t.toByteArray(), 0, out, 0, out.length);
    return Tensor.fromBytes(t.dtype(), t.shape().withDim(0, n), out);
  }

  /**
   * Closes every compiled stage, each even when an earlier one fails to close (the first failure is thrown at the end
   * with later ones suppressed); the engine stays open. Idempotent.
   */
  @Override
  public void close() {
    List<CompiledModel> all = compiled.stream().flatMap(stages -> stages.values().stream()).toList();
    compiled.clear();
    Closeables.closeAll(all);
  }

  @Override
  public String toString() {
    return "Predictor[" + model.task().name() + " " + model.task().config() + ", " + model.members().size()
        + " member(s)]";
  }

}
