package org.medvision.testkit.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.InputSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.RandomTensors;

/**
 * The conformance suite every task provider runs. A task module subclasses it with its provider and a few
 * configurations small enough for the {@link ReferenceInterpreter}:
 *
 * <pre>{@code
 * class StrokeNextConformanceTest extends TaskConformanceSuite {
 *   @Override protected TaskProvider provider() { return new StrokeNextProvider(); }
 *   @Override protected List<TaskConfig> smallConfigs() {
 *     return List.of(provider().defaultConfig().withImageSize(32).withVariant("tiny"));
 *   }
 * }
 * }</pre>
 *
 * <p>It checks that the provider describes itself, that every small configuration builds a valid graph whose inputs
 * and outputs are exactly the ones the task declares, that the graph runs with seeded random weights and inputs
 * (batch {@value #BATCH}) to finite outputs of the declared shapes, that weights survive a safetensors round trip
 * bit for bit, and that unknown names are rejected with the valid ones listed.
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
   * image size); at least one.
   */
  protected abstract List<TaskConfig> smallConfigs();

  /** Name, citation, variants, subtasks and fusions are present, and the default configuration builds. */
  @Test
  public void providerDescribesItself() {
    TaskProvider p = provider();
    assertTrue(p.name() != null && p.name().matches("[a-z0-9][a-z0-9-]{0,63}"),
        "provider name '" + p.name() + "' must be lower-case letters, digits and hyphens");
    assertFalse(p.citation() == null || p.citation().isBlank(), p.name() + ": citation is empty");
    assertFalse(p.variants().isEmpty(), p.name() + ": no variants");
    assertFalse(p.subtasks().isEmpty(), p.name() + ": no subtasks");
    assertFalse(p.fusions().isEmpty(), p.name() + ": no fusions");
    TaskConfig d = p.defaultConfig();
    assertNotNull(d, p.name() + ": defaultConfig() is null");
    assertTrue(p.variants().contains(d.variant()), p.name() + ": default variant '" + d.variant() + "' not listed");
    assertTrue(p.subtasks().contains(d.subtask()), p.name() + ": default subtask '" + d.subtask() + "' not listed");
    assertTrue(p.fusions().contains(d.fusion()), p.name() + ": default fusion '" + d.fusion() + "' not listed");
    Task task = p.create(d);
    task.graph().validate();
  }

  /** Each small configuration builds a valid graph and the task reports its own name and configuration. */
  @Test
  public void smallConfigsBuildValidGraphs() {
    assertFalse(smallConfigs().isEmpty(), "smallConfigs() must list at least one configuration");
    for (TaskConfig config : smallConfigs()) {
      Task task = provider().create(config);
      task.graph().validate();
      assertEquals(provider().name(), task.name(), config + ": task name");
      assertEquals(config, task.config(), config + ": task config");
    }
  }

  /** The task's declared inputs and outputs are exactly the graph's, with labels matching the output width. */
  @Test
  public void declaredInputsAndOutputsMatchTheGraph() {
    for (TaskConfig config : smallConfigs()) {
      Task task = provider().create(config);
      Graph g = task.graph();
      assertEquals(names(g.inputs()), task.inputs().stream().map(InputSpec::name).collect(Collectors.toList()),
          config + ": task inputs vs graph inputs");
      assertEquals(names(g.outputs()), task.outputs().stream().map(OutputSpec::name).collect(Collectors.toList()),
          config + ": task outputs vs graph outputs");
      for (InputSpec in : task.inputs()) {
        ValueInfo vi = find(g.inputs(), in.name());
        if (in.preprocessing() != null && vi.shape().rank() >= 4) {
          assertEquals(in.preprocessing().channels(), vi.shape().dim(1), config + ": channels of " + in.name());
          assertDimension(in.preprocessing().height(), vi.shape().dim(-2), config + ": height of " + in.name());
          assertDimension(in.preprocessing().width(), vi.shape().dim(-1), config + ": width of " + in.name());
        }
      }
      for (OutputSpec out : task.outputs()) {
        Shape s = find(g.outputs(), out.name()).shape();
        if (!out.labels().isEmpty()) {
          assertEquals(out.labels().size(), s.dim(-1), config + ": labels of output '" + out.name() + "' vs " + s);
        }
      }
    }
  }

  /** Each small configuration runs with random weights and inputs to finite outputs of the declared shapes. */
  @Test
  public void graphsRunToFiniteOutputsOfTheDeclaredShapes() {
    for (TaskConfig config : smallConfigs()) {
      Graph g = provider().create(config).graph();
      Map<String, Tensor> outputs = ReferenceInterpreter.run(g, RandomWeights.initialize(g, SEED), inputs(g, config));
      assertEquals(names(g.outputs()), List.copyOf(outputs.keySet()), config + ": output names");
      for (ValueInfo declared : g.outputs()) {
        Tensor t = outputs.get(declared.name());
        assertTrue(t.shape().isCompatibleWith(declared.shape()),
            config + ": output '" + declared.name() + "' is " + t.shape() + ", declared " + declared.shape());
        if (declared.shape().rank() > 0 && declared.shape().dim(0) == Shape.DYNAMIC) {
          assertEquals(BATCH, t.shape().dim(0), config + ": batch axis of output '" + declared.name() + "'");
        }
        float[] v = t.toFloatArray();
        for (int i = 0; i < v.length; i++) {
          if (!Float.isFinite(v[i])) {
            throw new AssertionError(config + ": output '" + declared.name() + "' element " + i + " is " + v[i]
                + " (seed " + SEED + ")");
          }
        }
      }
    }
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
    Map<String, Tensor> in = inputs(g, config);
    Map<String, Tensor> before = ReferenceInterpreter.run(g, original, in);
    Map<String, Tensor> after = ReferenceInterpreter.run(g, reread, in);
    for (String name : before.keySet()) {
      assertTrue(before.get(name).contentEquals(after.get(name)), config + ": output '" + name + "' changed");
    }
  }

  /** Unknown variant, subtask and fusion names fail with {@link UnknownNameException} listing the valid names. */
  @Test
  public void unknownNamesAreRejectedWithTheValidOnes() {
    TaskConfig base = smallConfigs().get(0);
    TaskProvider p = provider();
    expectUnknown(base, TaskConfig::withVariant, p.variants(), "variant");
    expectUnknown(base, TaskConfig::withSubtask, p.subtasks(), "subtask");
    expectUnknown(base, TaskConfig::withFusion, p.fusions(), "fusion");
  }

  /** Sets one field of {@code base} to an unknown name through {@code with} and checks the rejection. */
  private void expectUnknown(TaskConfig base, BiFunction<TaskConfig, String, TaskConfig> with, List<String> valid,
      String what) {
    String bogus = "no-such-" + what;
    TaskConfig wrong = with.apply(base, bogus);
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> provider().create(wrong),
        "an unknown " + what + " must be rejected");
    assertTrue(e.getMessage().contains(bogus), "the message should name '" + bogus + "': " + e.getMessage());
    assertTrue(new HashSet<>(e.available()).containsAll(valid),
        "the exception should list the valid " + what + "s " + valid + ", lists " + e.available());
    for (String name : valid) {
      assertTrue(e.getMessage().contains(name), "the message should list " + what + " '" + name + "': "
          + e.getMessage());
    }
  }

  /**
   * Seeded random inputs for every graph input: uniform in [-1, 1), a dynamic axis 0 taking {@link #BATCH} and any
   * other dynamic axis the configuration's image size.
   */
  protected Map<String, Tensor> inputs(Graph g, TaskConfig config) {
    RandomTensors random = new RandomTensors(SEED);
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (ValueInfo in : g.inputs()) {
      long[] dims = in.shape().dims();
      for (int i = 0; i < dims.length; i++) {
        if (dims[i] == Shape.DYNAMIC) {
          dims[i] = i == 0 ? BATCH : config.imageSize();
        }
      }
      inputs.put(in.name(), random.uniform(Shape.of(dims)));
    }
    return inputs;
  }

  private static void assertDimension(int expected, long actual, String what) {
    if (actual != Shape.DYNAMIC) {
      assertEquals(expected, actual, what);
    }
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
