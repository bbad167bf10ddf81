package org.medvision.api.embed;

import java.util.List;
import java.util.Objects;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.model.Encoder;
import org.medvision.api.model.Fusion;
import org.medvision.api.model.Head;
import org.medvision.api.registry.Named;
import org.medvision.api.registry.NamedRegistry;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;

/**
 * The entry point for applications: every plugin registry (engines, tasks, encoders, fusions, heads) discovered once.
 *
 * <pre>{@code
 * Medvision mv = Medvision.builder().build();
 * Task task = mv.task("strokenext", mv.defaultConfig("strokenext").withVariant("atto"));
 * try (Engine engine = mv.engine("onnx")) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Discovery runs in {@link Builder#build()} through {@link java.util.ServiceLoader} on the chosen class loader; it
 * loads no native code (providers defer that to {@link EngineProvider#create()}) and makes no network calls. An
 * instance is immutable and safe to share between threads.
 */
public final class Medvision {
  /** What to add when no engine is found, for error messages. */
  public static final String ENGINE_HINT = "Add an engine module such as org.medvision:medvision-engine-onnx";
  /** What to add when no task is found, for error messages. */
  public static final String TASK_HINT = "add a task module such as org.medvision:medvision-tasks";

  private final NamedRegistry<EngineProvider> engines;
  private final NamedRegistry<TaskProvider> tasks;
  private final NamedRegistry<Encoder> encoders;
  private final NamedRegistry<Fusion> fusions;
  private final NamedRegistry<Head> heads;

  private Medvision(NamedRegistry<EngineProvider> engines, NamedRegistry<TaskProvider> tasks,
      NamedRegistry<Encoder> encoders, NamedRegistry<Fusion> fusions, NamedRegistry<Head> heads) {
    this.engines = engines;
    this.tasks = tasks;
    this.encoders = encoders;
    this.fusions = fusions;
    this.heads = heads;
  }

  /** A builder that discovers everything on the thread's context class loader unless told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** Engine providers by name. */
  public NamedRegistry<EngineProvider> engines() {
    return engines;
  }

  /** Task providers by name. */
  public NamedRegistry<TaskProvider> tasks() {
    return tasks;
  }

  /** Encoder plugins by name. */
  public NamedRegistry<Encoder> encoders() {
    return encoders;
  }

  /** Fusion plugins by name. */
  public NamedRegistry<Fusion> fusions() {
    return fusions;
  }

  /** Head plugins by name. */
  public NamedRegistry<Head> heads() {
    return heads;
  }

  /**
   * The default configuration of task {@code name}.
   *
   * @throws org.medvision.api.registry.UnknownNameException listing the tasks that exist
   */
  public TaskConfig defaultConfig(String name) {
    return tasks.get(name).defaultConfig();
  }

  /**
   * Builds task {@code name} with {@code config}.
   *
   * @throws org.medvision.api.registry.UnknownNameException for an unknown task, or (from the provider) an unknown
   *     variant, subtask or fusion, listing the valid ones
   */
  public Task task(String name, TaskConfig config) {
    return tasks.get(name).create(config);
  }

  /**
   * Loads engine {@code name}; the caller owns it and must close it.
   *
   * @throws org.medvision.api.registry.UnknownNameException listing the engines that exist and the artifact to add
   * @throws org.medvision.api.engine.EngineException if the engine's native libraries cannot be loaded
   */
  public Engine engine(String name) {
    return engines.get(name).create();
  }

  /**
   * Configures a {@link Medvision}. Each registry is discovered with {@link java.util.ServiceLoader} unless a fixed
   * list is given for it (for tests, or applications that assemble plugins themselves).
   */
  public static final class Builder {
    private ClassLoader classLoader;
    private List<EngineProvider> engines;
    private List<TaskProvider> tasks;
    private List<Encoder> encoders;
    private List<Fusion> fusions;
    private List<Head> heads;

    private Builder() {}

    /** The class loader to discover plugins on; defaults to the thread's context class loader. */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /** Uses exactly these engine providers instead of discovering them. */
    public Builder engines(List<? extends EngineProvider> providers) {
      this.engines = List.copyOf(providers);
      return this;
    }

    /** Uses exactly these task providers instead of discovering them. */
    public Builder tasks(List<? extends TaskProvider> providers) {
      this.tasks = List.copyOf(providers);
      return this;
    }

    /** Uses exactly these encoders instead of discovering them. */
    public Builder encoders(List<? extends Encoder> plugins) {
      this.encoders = List.copyOf(plugins);
      return this;
    }

    /** Uses exactly these fusions instead of discovering them. */
    public Builder fusions(List<? extends Fusion> plugins) {
      this.fusions = List.copyOf(plugins);
      return this;
    }

    /** Uses exactly these heads instead of discovering them. */
    public Builder heads(List<? extends Head> plugins) {
      this.heads = List.copyOf(plugins);
      return this;
    }

    /**
     * Discovers whatever was not given and checks every registry.
     *
     * @throws org.medvision.api.MedvisionException if two plugins of one kind share a name, or a name is invalid
     */
    public Medvision build() {
      ClassLoader loader = classLoader;
      if (loader == null) {
        loader = Thread.currentThread().getContextClassLoader();
      }
      if (loader == null) {
        loader = Medvision.class.getClassLoader();
      }
      return new Medvision(
          registry(EngineProvider.class, engines, loader, "engine", ENGINE_HINT),
          registry(TaskProvider.class, tasks, loader, "task", TASK_HINT),
          registry(Encoder.class, encoders, loader, "encoder", TASK_HINT),
          registry(Fusion.class, fusions, loader, "fusion", TASK_HINT),
          registry(Head.class, heads, loader, "head", TASK_HINT));
    }

    private static <T extends Named> NamedRegistry<T> registry(Class<T> type,
        List<T> fixed, ClassLoader loader, String kind, String hint) {
      return fixed != null ? NamedRegistry.of(kind, hint, fixed) : NamedRegistry.discover(type, loader, kind, hint);
    }
  }
}
