package org.medvision.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Supplier;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Example;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.StageRunner;
import org.medvision.api.task.Task;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleLoader;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.ExampleSet;

/**
 * Runs a task's pipeline over every example of a data-set split and feeds its metric suites: what validation during
 * training and {@code medvision evaluate} share. The examples stream through in batches; only the results are kept.
 */
public final class Scoring {
  private Scoring() {}

  /**
   * The scored examples.
   *
   * @param examples id, patient and where of every example, in data-set order (tensors dropped)
   * @param results the pipeline's results, in the same order
   * @param suites the task's suites holding every example
   */
  public record Scored(List<ExampleRef> examples, List<ExampleResult> results, List<MetricSuite> suites) {
    /** Copies the lists. */
    public Scored {
      examples = List.copyOf(examples);
      results = List.copyOf(results);
      suites = List.copyOf(suites);
    }
  }

  /**
   * One scored example without its tensors.
   *
   * @param id the example's id
   * @param patientId its patient, or null
   * @param where where it came from
   * @param label its class index in the task's label field, or -1
   */
  public record ExampleRef(String id, String patientId, String where, int label) {}

  /**
   * Scores every example of {@code set} with one set of weights.
   *
   * @param reader decodes the examples (without augmentation)
   * @param stages runs the task's graph stages on the weights being scored
   * @param batchSize examples per pipeline call
   * @param progress told after each batch
   * @throws MedvisionException if the task declares no metric suites, or the pipeline fails, naming the example
   */
  public static Scored score(Task task, ExampleSet set, ExampleReader reader, StageRunner stages, int batchSize,
      ProgressListener progress) {
    return scoreMembers(task, set, reader, List.of(stages), batchSize, progress).get(0);
  }

  /**
   * Scores every example of {@code set} with each member's weights, and, for several members, their mean
   * ({@link EnsembleMean}); each example is decoded once.
   *
   * @param members one stage runner per member
   * @return one scoring per member, then the ensemble's when there are several
   */
  public static List<Scored> scoreMembers(Task task, ExampleSet set, ExampleReader reader, List<StageRunner> members,
      int batchSize, ProgressListener progress) {
    int outputs = members.size() == 1 ? 1 : members.size() + 1;
    List<List<MetricSuite>> suites = new ArrayList<>();
    List<List<ExampleResult>> results = new ArrayList<>();
    for (int k = 0; k < outputs; k++) {
      List<MetricSuite> s = new ArrayList<>();
      for (Supplier<MetricSuite> f : task.metrics()) {
        s.add(f.get());
      }
      if (s.isEmpty()) {
        throw new MedvisionException("task " + task.name() + " declares no metric suites to score with");
      }
      suites.add(s);
      results.add(new ArrayList<>(set.size()));
    }
    int[] order = new int[set.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    List<ExampleRef> refs = new ArrayList<>(set.size());
    String labelField = task.data().stratifyBy();
    progress.progress(0, set.size());
    try (ExampleLoader loader = new ExampleLoader(set, reader, batchSize, 0, true)) {
      Iterator<List<Example>> it = loader.batches(order);
      while (it.hasNext()) {
        List<Example> batch = it.next();
        List<List<ExampleResult>> perMember = new ArrayList<>();
        for (StageRunner runner : members) {
          List<ExampleResult> out = task.pipeline().predict(batch, runner);
          if (out.size() != batch.size()) {
            throw new MedvisionException("task " + task.name() + "'s pipeline returned " + out.size()
                + " results for " + batch.size() + " examples");
          }
          perMember.add(out);
        }
        if (outputs > 1) {
          perMember.add(EnsembleMean.combine(perMember));
        }
        for (int i = 0; i < batch.size(); i++) {
          Example e = batch.get(i);
          for (int k = 0; k < outputs; k++) {
            for (MetricSuite suite : suites.get(k)) {
              suite.add(e, perMember.get(k).get(i));
            }
            results.get(k).add(perMember.get(k).get(i));
          }
          int label = labelField.isEmpty() || !e.tensors().containsKey(labelField) ? -1
              : (int) e.tensor(labelField).toLongArray()[0];
          refs.add(new ExampleRef(e.id(), e.patientId(), e.where(), label));
        }
        progress.progress(refs.size(), set.size());
      }
    }
    List<Scored> out = new ArrayList<>();
    for (int k = 0; k < outputs; k++) {
      out.add(new Scored(refs, results.get(k), suites.get(k)));
    }
    return out;
  }
}
