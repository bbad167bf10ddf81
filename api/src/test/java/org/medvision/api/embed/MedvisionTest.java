package org.medvision.api.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;

class MedvisionTest {
  private static EngineProvider engineProvider(String name) {
    EngineProvider p = mock(EngineProvider.class);
    when(p.name()).thenReturn(name);
    return p;
  }

  private static TaskProvider taskProvider(String name) {
    TaskProvider p = mock(TaskProvider.class);
    when(p.name()).thenReturn(name);
    return p;
  }

  @Test
  void engineIsCreatedByTheNamedProviderOnlyWhenAsked() {
    EngineProvider a = engineProvider("alpha");
    EngineProvider b = engineProvider("beta");
    Engine engine = mock(Engine.class);
    when(b.create()).thenReturn(engine);
    Medvision mv = Medvision.builder().engines(List.of(a, b)).tasks(List.of()).encoders(List.of())
        .fusions(List.of()).heads(List.of()).build();

    verify(b, never()).create();
    assertEquals(List.of("alpha", "beta"), mv.engines().names());
    assertSame(engine, mv.engine("beta"));
    verify(a, never()).create();
  }

  @Test
  void taskAndDefaultConfigDelegateToTheProvider() {
    TaskProvider p = taskProvider("demo");
    TaskConfig config = new TaskConfig("tiny", Map.of("image_size", "64"));
    Task task = mock(Task.class);
    when(p.defaultConfig()).thenReturn(config);
    when(p.create(config.withVariant("atto"))).thenReturn(task);
    Medvision mv = Medvision.builder().engines(List.of()).tasks(List.of(p)).encoders(List.of()).fusions(List.of())
        .heads(List.of()).build();

    assertSame(config, mv.defaultConfig("demo"));
    assertSame(task, mv.task("demo", mv.defaultConfig("demo").withVariant("atto")));
  }

  @Test
  void duplicateEngineNamesAreRejected() {
    MedvisionException e = assertThrows(MedvisionException.class,
        () -> Medvision.builder().engines(List.of(engineProvider("onnx"), engineProvider("onnx"))).build());
    assertTrue(e.getMessage().contains("two engine plugins are named 'onnx'"), e.getMessage());
  }

  @Test
  void unknownEngineListsTheAvailableOnesAndTheArtifactToAdd() {
    Medvision mv = Medvision.builder().engines(List.of(engineProvider("onnx"), engineProvider("djl"))).build();
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> mv.engine("tensorflow"));
    assertEquals(List.of("onnx", "djl"), e.available());
    assertEquals("unknown engine 'tensorflow'; available: onnx, djl. " + Medvision.ENGINE_HINT, e.getMessage());
  }

  @Test
  void unknownTaskNamesTheTasksThatExist() {
    Medvision mv = Medvision.builder().tasks(List.of(taskProvider("strokenext"))).build();
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> mv.defaultConfig("stroke"));
    assertEquals(List.of("strokenext"), e.available());
  }

  @Test
  void discoversProvidersOnTheGivenClassLoader(@TempDir Path dir) throws IOException {
    try (URLClassLoader loader = loaderWithService(dir)) {
      Medvision mv = Medvision.builder().classLoader(loader).build();
      assertTrue(mv.engines().names().contains("discoverable"), mv.engines().names().toString());
      assertTrue(mv.engines().get("discoverable") instanceof DiscoverableEngineProvider);
    }
  }

  @Test
  void withoutServiceFilesTheRegistriesAreEmptyAndSaySo() throws IOException {
    // A loader that sees only the JDK, so no test registrations of other classes leak in.
    try (URLClassLoader bare = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader())) {
      Medvision mv = Medvision.builder().classLoader(bare).build();
      assertEquals(List.of(), mv.engines().names());
      assertEquals(List.of(), mv.tasks().names());
      UnknownNameException e = assertThrows(UnknownNameException.class, () -> mv.engine("onnx"));
      assertTrue(e.getMessage().contains("available: (none)"), e.getMessage());
      assertTrue(e.getMessage().contains("medvision-engine-onnx"), e.getMessage());
    }
  }

  /** A loader that sees one extra service file registering {@link DiscoverableEngineProvider}. */
  static URLClassLoader loaderWithService(Path dir) throws IOException {
    Path services = dir.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(EngineProvider.class.getName()),
        "# test registration\n" + DiscoverableEngineProvider.class.getName() + "\n", StandardCharsets.UTF_8);
    return new URLClassLoader(new URL[] {dir.toUri().toURL()}, MedvisionTest.class.getClassLoader());
  }
}
