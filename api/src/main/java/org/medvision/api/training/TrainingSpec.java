package org.medvision.api.training;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Sampler;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;

/**
 * One training run's plan, as a task's {@link TrainingRecipe} makes it.
 *
 * @param graph the training graph (see {@link TrainingGraph}): model inputs, targets, loss-weight inputs and the
 *     outputs {@value TrainingGraph#LOSS}, {@code loss.<term>} and the model's
 * @param targets target graph input to the example key that feeds it (model inputs are fed as the data schema says)
 * @param balancer the loss weights at every step
 * @param groups parameter groups (learning-rate scale, weight decay, frozen)
 * @param sampler the order of each epoch
 * @param preparer Java run on each training batch before the step, or null
 * @param notes lines the trainer prints and keeps in the run's record (e.g. how many examples lack a mask)
 * @param computations parameter values computed once before training (e.g. frozen text embeddings), in order
 */
public record TrainingSpec(Graph graph, Map<String, String> targets, LossBalancer balancer, List<ParamGroup> groups,
    Sampler sampler, BatchPreparer preparer, List<String> notes, List<ParameterComputation> computations) {
  /**
   * Checks that every loss term has a weight and every target is a graph input.
   *
   * @throws MedvisionException naming what is missing
   */
  public TrainingSpec {
    Objects.requireNonNull(graph, "graph");
    targets = Collections.unmodifiableMap(new LinkedHashMap<>(targets));
    Objects.requireNonNull(balancer, "balancer");
    groups = List.copyOf(groups);
    Objects.requireNonNull(sampler, "sampler");
    notes = List.copyOf(notes);
    computations = List.copyOf(computations);
    List<String> inputs = graph.inputs().stream().map(ValueInfo::name).toList();
    for (String t : targets.keySet()) {
      if (!inputs.contains(t)) {
        throw new MedvisionException("training target '" + t + "' is not an input of graph '" + graph.name()
            + "'; inputs: " + inputs);
      }
    }
    if (graph.outputs().stream().noneMatch(o -> o.name().equals(TrainingGraph.LOSS))) {
      throw new MedvisionException("training graph '" + graph.name() + "' has no '" + TrainingGraph.LOSS
          + "' output");
    }
    for (String term : TrainingGraph.lossTerms(graph)) {
      if (!balancer.terms().contains(term)) {
        throw new MedvisionException("loss term '" + term + "' of graph '" + graph.name() + "' has no weight; the "
            + "balancer weighs " + balancer.terms());
      }
    }
  }

  /** A plan with fixed loss weights, the uniform sampler, no groups and no preparation. */
  public static TrainingSpec of(Graph graph, Map<String, String> targets, Map<String, Double> lossWeights) {
    return new TrainingSpec(graph, targets, LossBalancer.fixed(lossWeights), List.of(), Sampler.UNIFORM, null,
        List.of(), List.of());
  }

  /** This plan with another sampler. */
  public TrainingSpec withSampler(Sampler s) {
    return new TrainingSpec(graph, targets, balancer, groups, s, preparer, notes, computations);
  }

  /** This plan with parameter groups. */
  public TrainingSpec withGroups(List<ParamGroup> g) {
    return new TrainingSpec(graph, targets, balancer, g, sampler, preparer, notes, computations);
  }

  /** This plan with another balancer. */
  public TrainingSpec withBalancer(LossBalancer b) {
    return new TrainingSpec(graph, targets, b, groups, sampler, preparer, notes, computations);
  }

  /** This plan with a preparation step. */
  public TrainingSpec withPreparer(BatchPreparer p) {
    return new TrainingSpec(graph, targets, balancer, groups, sampler, p, notes, computations);
  }

  /** This plan with a parameter computation added. */
  public TrainingSpec withComputation(ParameterComputation c) {
    List<ParameterComputation> all = new ArrayList<>(computations);
    all.add(c);
    return new TrainingSpec(graph, targets, balancer, groups, sampler, preparer, notes, all);
  }

  /** This plan with notes added. */
  public TrainingSpec withNotes(List<String> more) {
    List<String> all = new ArrayList<>(notes);
    all.addAll(more);
    return new TrainingSpec(graph, targets, balancer, groups, sampler, preparer, all, computations);
  }
}
