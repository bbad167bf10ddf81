package org.medvision.testkit.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OptionType;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.training.TrainingContext;
import org.medvision.api.training.TrainingGraph;
import org.medvision.api.training.TrainingSpec;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.fixtures.RandomTensors;
import org.medvision.testkit.ReferenceInterpreter;

/**
 * The conformance suite every task provider runs. A task module subclasses it with its provider and a few
 * configurations small enough for the {@link ReferenceInterpreter}:
 *
 * <pre>{@code
 * class StrokeNextConformanceTest extends TaskConformanceSuite {
 *   @Override protected TaskProvider provider() { return new StrokeNextTaskProvider(); }
 *   @Override protected List<TaskConfig> smallConfigs() {
 *     return List.of(provider().configure("atto", Map.of("image_size", "32")));
 *   }
 * }
 * }</pre>
 *
 * <p>It checks that the provider describes itself and its options; that every small configuration builds a valid
 * graph whose inputs are exactly the ones the data schema feeds, with shapes its image and volume fields produce,
 * and whose outputs are the declared ones; that the graph runs with seeded random weights and inputs (batch
 * {@value #BATCH}) to finite outputs of the declared shapes; that weights survive a safetensors round trip bit for
 * bit; that the training recipe builds a training graph whose every input is fed; that metric suites are declared
 * with their default selection; and that an unknown variant or option, and an invalid option value, are rejected
 * with the valid ones listed. Each check runs once per small configuration as a named dynamic test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class TaskConformanceSuite {
  /** The batch size graphs are run with; a dynamic batch axis takes this extent. */
  protected static final int BATCH = 2;
  private static final long SEED = 20_260_101L;

  /** The provider under test. */
  protected abstract TaskProvider provider();

  /**
   * Configurations small enough for the reference interpreter to run in a few seconds each (small variant, small
   * input size); at least one.
   */
  protected abstract List<TaskConfig> smallConfigs();

  /** Name, citation, variants and documented options are present, and the default configuration builds. */
  @Test
  public void providerDescribesItself() {
    TaskProvider p = provider();
    assertTrue(p.name() != null && p.name().matches("[a-z0-9][a-z0-9-]{0,63}"),
        "provider name '" + p.name() + "' must be lower-case letters, digits and hyphens");
    assertFalse(p.citation() == null || p.citation().isBlank(), p.name() + ": citation is empty");
    assertFalse(p.variants().isEmpty(), p.name() + ": no variants");
    assertTrue(p.variants().contains(p.defaultVariant()), p.name() + ": default variant not listed");
    Set<String> names = new HashSet<>();
    for (OptionSpec o : p.options()) {
      assertTrue(names.add(o.name()), p.name() + ": option '" + o.name() + "' declared twice");
      assertFalse(o.doc().isBlank(), p.name() + ": option '" + o.name() + "' is undocumented");
    }
    for (String option : p.optionAliases().values()) {
      assertTrue(names.contains(option), p.name() + ": alias for undeclared option '" + option + "'");
    }
    TaskConfig d = p.defaultConfig();
    assertNotNull(d, p.name() + ": defaultConfig() is null");
    assertEquals(names, d.options().keySet(), p.name() + ": the default configuration must set every option");
    p.create(d).graph().validate();
  }

  /** Each small configuration builds a valid graph and the task reports its own name and configuration. */
  @TestFactory
  public Stream<DynamicTest> smallConfigsBuildValidGraphs() {
    return perConfig(config -> {
      Task task = provider().create(config);
      task.graph().validate();
      assertEquals(provider().name(), task.name(), "task name");
      assertEquals(provider().configure(config.variant(), config.options()), task.config(), "task config");
      assertEquals(Task.MODEL, task.stages().keySet().iterator().next(), "the first stage is the model");
    });
  }

  /**
   * The data schema feeds exactly the graph's inputs, with the shapes its image and volume fields produce, and the
   * declared outputs are graph outputs with one value per label.
   */
  @TestFactory
  public Stream<DynamicTest> dataSchemaMatchesTheGraph() {
    return perConfig(config -> {
      Task task = provider().create(config);
      Graph g = task.graph();
      DataSchema schema = task.data();
      assertEquals(new HashSet<>(names(g.inputs())), schema.graphInputs().keySet(), "graph inputs vs schema feeds");
      for (Map.Entry<String, String> e : schema.graphInputs().entrySet()) {
        ValueInfo in = find(g.inputs(), e.getKey());
        Field f = schema.field(DataSchema.baseField(e.getValue())).orElseThrow();
        if (f instanceof ImageField img && e.getValue().equals(f.name())) {
          long[] expected = {Shape.DYNAMIC, img.preprocessing().channels(), img.preprocessing().height(),
              img.preprocessing().width()};
          assertTrue(Shape.of(expected).isCompatibleWith(in.shape()), "input " + in + " vs image field " + img);
        } else if (f instanceof VolumeField vol && e.getValue().equals(f.name())) {
          int[] s = vol.preprocessing().size();
          assertTrue(Shape.of(Shape.DYNAMIC, 1, s[0], s[1], s[2]).isCompatibleWith(in.shape()),
              "input " + in + " vs volume field " + vol);
        }
      }
      assertFalse(task.outputs().isEmpty(), "the task declares no outputs");
      for (OutputSpec out : task.outputs()) {
        Shape s = find(g.outputs(), out.name()).shape();
        if (!out.labels().isEmpty()) {
          assertEquals(out.labels().size(), s.dim(-1), "labels of output '" + out.name() + "' vs " + s);
        }
        if (!out.alignedTo().isEmpty()) {
          assertTrue(schema.field(out.alignedTo()).isPresent(), "output '" + out.name() + "' lies over an unknown "
              + "field '" + out.alignedTo() + "'");
        }
      }
    });
  }

  /** Each small configuration runs with random weights and inputs to finite outputs of the declared shapes. */
  @TestFactory
  public Stream<DynamicTest> graphsRunToFiniteOutputsOfTheDeclaredShapes() {
    return perConfig(config -> {
      Graph g = provider().create(config).graph();
      Map<String, Tensor> outputs = ReferenceInterpreter.run(g, RandomWeights.initialize(g, SEED), inputs(g));
      assertEquals(names(g.outputs()), List.copyOf(outputs.keySet()), "output names");
      for (ValueInfo declared : g.outputs()) {
        Tensor t = outputs.get(declared.name());
        assertTrue(t.shape().isCompatibleWith(declared.shape()),
            "output '" + declared.name() + "' is " + t.shape() + ", declared " + declared.shape());
        if (declared.shape().rank() > 0 && declared.shape().dim(0) == Shape.DYNAMIC) {
          assertEquals(BATCH, t.shape().dim(0), "batch axis of output '" + declared.name() + "'");
        }
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
          if (!Float.isFinite(v[i])) {
            throw new AssertionError("output '" + declared.name() + "' element " + i + " is " + v[i] + " (seed "
                + SEED + ")");
          }
        }
      }
    });
  }

  /** Weights written to safetensors bytes and read back are bit-identical and give identical outputs. */
  @Test
  public void weightsRoundTripThroughSafetensors() {
    TaskConfig config = smallConfigs().get(0);
    Graph g = provider().create(config).graph();
    Weights original = RandomWeights.initialize(g, SEED);
    Weights reread = Safetensors.fromBytes(Safetensors.toBytes(original), "round-trip");
    assertEquals(original.tensors().keySet(), reread.tensors().keySet(), config + ": tensor names");
    for (Map.Entry<String, Tensor> e : original.tensors().entrySet()) {
      assertTrue(e.getValue().contentEquals(reread.tensors().get(e.getKey())),
          config + ": tensor '" + e.getKey() + "' changed in the round trip");
    }
    Map<String, Tensor> in = inputs(g);
    Map<String, Tensor> before = ReferenceInterpreter.run(g, original, in);
    Map<String, Tensor> after = ReferenceInterpreter.run(g, reread, in);
    for (String name : before.keySet()) {
      assertTrue(before.get(name).contentEquals(after.get(name)), config + ": output '" + name + "' changed");
    }
  }

  /**
   * The training recipe builds a valid training graph over the model, every loss term has a weight, and every input
   * of the training graph is fed: by the schema, by a training target, or as a loss weight.
   */
  @TestFactory
  public Stream<DynamicTest> trainingRecipesFeedEveryInput() {
    return perConfig(config -> {
      Task task = provider().create(config);
      if (task.training().isEmpty()) {
        return;
      }
      TrainingSpec spec = task.training().get().build(new TrainingContext(task.config(), table(task), SEED,
          Map.of()));
      Graph t = spec.graph().validate();
      assertTrue(t.outputs().stream().anyMatch(o -> o.name().equals(TrainingGraph.LOSS)), "no loss output");
      for (String param : names(task.graph().parameters().stream()
          .map(p -> new ValueInfo(p.name(), p.dtype(), p.shape())).toList())) {
        assertTrue(t.parameter(param).isPresent(), "training graph lacks model parameter " + param);
      }
      for (ValueInfo in : t.inputs()) {
        boolean fed = task.data().graphInputs().containsKey(in.name()) || spec.targets().containsKey(in.name())
            || TrainingGraph.isLossWeight(in.name());
        assertTrue(fed, "training graph input '" + in.name() + "' is fed by nothing");
      }
      for (String target : spec.targets().values()) {
        assertTrue(task.data().field(DataSchema.baseField(target)).isPresent(), "target reads unknown key "
            + target);
      }
      assertEquals(new HashSet<>(TrainingGraph.lossTerms(t)), new HashSet<>(spec.balancer().terms()),
          "the balancer must weigh exactly the loss terms");
    });
  }

  /** The task declares metric suites, and each one's default selection is among its selectable metrics. */
  @TestFactory
  public Stream<DynamicTest> metricSuitesAreDeclared() {
    return perConfig(config -> {
      Task task = provider().create(config);
      assertFalse(task.metrics().isEmpty(), "no metric suites");
      for (Supplier<MetricSuite> s : task.metrics()) {
        MetricSuite suite = s.get();
        assertTrue(suite.selectable().containsKey(suite.defaultSelection()), suite.name() + ": default selection '"
            + suite.defaultSelection() + "' is not selectable");
        assertTrue(suite.selectable().keySet().containsAll(suite.epochKeys()) || !suite.epochKeys().isEmpty(),
            suite.name() + ": no epoch keys");
      }
    });
  }

  /** An unknown variant or option fails with {@link UnknownNameException} listing the valid names. */
  @Test
  public void unknownNamesAreRejectedWithTheValidOnes() {
    TaskProvider p = provider();
    UnknownNameException variant = assertThrows(UnknownNameException.class,
        () -> p.configure("no-such-variant", Map.of()));
    assertTrue(variant.available().containsAll(p.variants()), "lists the variants: " + variant.getMessage());
    UnknownNameException option = assertThrows(UnknownNameException.class,
        () -> p.configure(p.defaultVariant(), Map.of("no_such_option", "1")));
    for (OptionSpec o : p.options()) {
      assertTrue(option.getMessage().contains(o.name()), "lists option " + o.name() + ": " + option.getMessage());
    }
  }

  /** An invalid value for a choice option fails naming the option and listing the choices. */
  @Test
  public void invalidOptionValuesAreRejectedWithTheValidOnes() {
    TaskProvider p = provider();
    for (OptionSpec o : p.options()) {
      if (o.type() != OptionType.CHOICE) {
        continue;
      }
      MedvisionException e = assertThrows(MedvisionException.class,
          () -> p.configure(p.defaultVariant(), Map.of(o.name(), "no-such-value")), o.name());
      assertTrue(e.getMessage().contains(o.name()), "names the option: " + e.getMessage());
      for (String c : o.choices()) {
        assertTrue(e.getMessage().contains(c), "lists choice " + c + ": " + e.getMessage());
      }
    }
  }

  private Stream<DynamicTest> perConfig(java.util.function.Consumer<TaskConfig> check) {
    assertFalse(smallConfigs().isEmpty(), "smallConfigs() must list at least one configuration");
    return smallConfigs().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> check.accept(c)));
  }

  /**
   * Seeded random inputs for every graph input: uniform in [-1, 1), a dynamic axis 0 taking {@link #BATCH}.
   *
   * @throws AssertionError if another axis is dynamic (override this method for such graphs)
   */
  protected Map<String, Tensor> inputs(Graph g) {
    RandomTensors random = new RandomTensors(SEED);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (ValueInfo in : g.inputs()) {
      long[] dims = in.shape().dims();
      for (int i = 0; i < dims.length; i++) {
        if (dims[i] == Shape.DYNAMIC) {
          if (i != 0) {
            throw new AssertionError("input " + in + " has a dynamic axis " + i + "; override inputs()");
          }
          dims[i] = BATCH;
        }
      }
      inputs.put(in.name(), random.uniform(Shape.of(dims)));
    }
    return inputs;
  }

  /** A made-up training table of 8 examples cycling through the classes of the task's label field. */
  private static ExampleTable table(Task task) {
    List<String> classes = task.data().labels().map(LabelField::classes).orElse(List.of());
    Map<String, Integer> n = new HashMap<>();
    return new ExampleTable() {
      @Override
      public int size() {
        return 8;
      }

      @Override
      public String id(int row) {
        return "example-" + row;
      }

      @Override
      public String patient(int row) {
        return "patient-" + row;
      }

      @Override
      public int[] labelsOf(int row, String field) {
        // Multi-label rows name one class each, cycling, so label frequencies are defined for every class.
        if (!(task.data().field(field).orElse(null) instanceof LabelField f)) {
          throw new MedvisionException("task " + task.name() + " has no label field '" + field + "'");
        }
        int k = f.classes().size();
        return k == 0 ? new int[0] : new int[] {row % k};
      }

      @Override
      public int label(int row) {
        return classes.isEmpty() ? -1 : row % classes.size();
      }

      @Override
      public List<String> classes() {
        return classes;
      }

      @Override
      public double attribute(int row, String name) {
        return n.merge(name, 1, Integer::sum) * 0.01 + row * 0.1;
      }

      @Override
      public String where(int row) {
        return id(row);
      }
    };
  }

  private static List<String> names(List<ValueInfo> values) {
    List<String> names = new ArrayList<>();
    for (ValueInfo v : values) {
      names.add(v.name());
    }
    return names;
  }

  private static ValueInfo find(List<ValueInfo> values, String name) {
    return values.stream().filter(v -> v.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no graph value '" + name + "'"));
  }
}
