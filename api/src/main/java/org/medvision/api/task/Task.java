package org.medvision.api.task;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.medvision.api.data.DataSchema;
import org.medvision.api.graph.Graph;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.pipeline.Pipeline;
import org.medvision.api.pipeline.SingleGraphPipeline;
import org.medvision.api.training.TrainingRecipe;

/**
 * A configured model of one task, and everything generic code needs to train, evaluate and run it: the graph (or
 * several graph stages), what an example is ({@link #data()}), how the graph's outputs read ({@link #outputs()}),
 * how to train it ({@link #training()}), how to score it ({@link #metrics()}), how to run it ({@link #pipeline()}) and
 * the ensemble the paper uses. The trainer, evaluator, runtime and CLI only interpret these declarations, so a new
 * paper needs no change to them. Immutable; make one with {@link #builder}.
 */
public interface Task {
  /** The name of the single stage of a one-graph task. */
  String MODEL = SingleGraphPipeline.STAGE;

  /** The provider's registry name. */
  String name();

  /** The configuration it was built with. */
  TaskConfig config();

  /** The model graph in inference mode: the first stage, the one a weights file is checked against first. */
  Graph graph();

  /**
   * Every graph stage by name, the model's first ({@value #MODEL} for one-graph tasks). A checkpoint holds the
   * parameters of every stage; stages may share parameters by name.
   */
  Map<String, Graph> stages();

  /** What one example is and which graph input each field feeds. */
  DataSchema data();

  /** The first stage's outputs and how to read them. */
  List<OutputSpec> outputs();

  /** How to train the model; empty for an inference-only task. */
  Optional<TrainingRecipe> training();

  /** The metric suites that score it, each made fresh per evaluation. */
  List<Supplier<MetricSuite>> metrics();

  /** How examples become predictions. */
  Pipeline pipeline();

  /** The ensemble the paper uses, if any. */
  Optional<EnsembleSpec> ensemble();

  /**
   * A regular expression over parameter names that a backbone checkpoint given for partial initialisation must cover
   * (e.g. everything but the task's head); empty when the task has no notion of a backbone.
   */
  Optional<String> backbone();

  /** The modalities and body parts the task was built for ({@link Acquisition#ANY} when it does not say). */
  default Acquisition acquisition() {
    return Acquisition.ANY;
  }

  /** A builder of a task around its model graph. */
  static Builder builder(String name, TaskConfig config, Graph graph) {
    return new Builder(name, config, graph);
  }

  /** Assembles a {@link Task}; the data schema is required, everything else has a default. */
  final class Builder {
    private final String name;
    private final TaskConfig config;
    private final Graph graph;
    private final Map<String, Graph> stages = new LinkedHashMap<>();
    private DataSchema data;
    private final List<OutputSpec> outputs = new ArrayList<>();
    private TrainingRecipe training;
    private final List<Supplier<MetricSuite>> metrics = new ArrayList<>();
    private Pipeline pipeline;
    private EnsembleSpec ensemble;
    private String backbone;
    private float labelThreshold = 0.5f;
    private Acquisition acquisition = Acquisition.ANY;

    private Builder(String name, TaskConfig config, Graph graph) {
      this.name = Objects.requireNonNull(name, "name");
      this.config = Objects.requireNonNull(config, "config");
      this.graph = Objects.requireNonNull(graph, "graph");
      stages.put(MODEL, graph);
    }

    /** Adds another graph stage. */
    public Builder stage(String stageName, Graph stage) {
      if (stages.putIfAbsent(stageName, stage) != null) {
        throw new IllegalArgumentException("stage '" + stageName + "' is declared twice");
      }
      return this;
    }

    /** The data schema (required). */
    public Builder data(DataSchema schema) {
      this.data = schema;
      return this;
    }

    /** Declares how to read a graph output. */
    public Builder output(OutputSpec output) {
      outputs.add(output);
      return this;
    }

    /** The training recipe. */
    public Builder training(TrainingRecipe recipe) {
      this.training = recipe;
      return this;
    }

    /** Adds a metric suite. */
    public Builder metrics(Supplier<MetricSuite> suite) {
      metrics.add(suite);
      return this;
    }

    /** The pipeline (default: {@link SingleGraphPipeline} over the declared outputs). */
    public Builder pipeline(Pipeline p) {
      this.pipeline = p;
      return this;
    }

    /** The probability from which a multi-label output's label counts as present (default 0.5). */
    public Builder labelThreshold(float threshold) {
      this.labelThreshold = threshold;
      return this;
    }

    /** The paper's ensemble. */
    public Builder ensemble(EnsembleSpec spec) {
      this.ensemble = spec;
      return this;
    }

    /** The modalities and body parts the task was built for (default: any). */
    public Builder acquisition(Acquisition declared) {
      this.acquisition = Objects.requireNonNull(declared, "acquisition");
      return this;
    }

    /** The parameters a backbone checkpoint must cover (a regular expression). */
    public Builder backbone(String pattern) {
      this.backbone = pattern;
      return this;
    }

    /**
     * The task.
     *
     * @throws IllegalStateException if no data schema was given
     */
    public Task build() {
      if (data == null) {
        throw new IllegalStateException("task " + name + " declares no data schema");
      }
      Pipeline p = pipeline != null ? pipeline : new SingleGraphPipeline(data, outputs, labelThreshold);
      return new DeclaredTask(name, config, graph, Map.copyOf(stages), data, List.copyOf(outputs),
          Optional.ofNullable(training), List.copyOf(metrics), p, Optional.ofNullable(ensemble),
          Optional.ofNullable(backbone), new ArrayList<>(stages.keySet()), acquisition);
    }
  }
}
