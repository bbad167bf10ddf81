package org.medvision.api.embed;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.io.IOException;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.registry.NamedRegistry;
import org.medvision.api.task.TaskProvider;

class MedvisionModuleTest {
  @Test
  void bindsTheGivenInstanceAndItsRegistriesAsSingletons() {
    Medvision mv = Medvision.builder().engines(List.of(new DiscoverableEngineProvider())).tasks(List.of()).build();
    Injector injector = Guice.createInjector(new MedvisionModule(mv));

    assertSame(mv, injector.getInstance(Medvision.class));
    assertSame(mv, injector.getInstance(Medvision.class));
    NamedRegistry<EngineProvider> engines =
        injector.getInstance(Key.get(new TypeLiteral<NamedRegistry<EngineProvider>>() {}));
    assertSame(mv.engines(), engines);
    assertSame(mv.tasks(), injector.getInstance(Key.get(new TypeLiteral<NamedRegistry<TaskProvider>>() {})));
  }

  @Test
  void discoversLazilyOnTheContextClassLoaderOfTheFirstRequest(@TempDir Path dir) throws IOException {
    // The module is made before the service file is visible; discovery must wait for the first request.
    MedvisionModule module = new MedvisionModule();
    Injector injector = Guice.createInjector(module);
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    try (URLClassLoader loader = MedvisionTest.loaderWithService(dir)) {
      thread.setContextClassLoader(loader);
      Medvision mv = injector.getInstance(Medvision.class);
      assertTrue(mv.engines().names().contains("discoverable"), mv.engines().names().toString());
      assertSame(mv, injector.getInstance(Medvision.class));
    } finally {
      thread.setContextClassLoader(previous);
    }
  }
}
