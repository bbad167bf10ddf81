package org.medvision.api.embed;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.Objects;
import java.util.function.Supplier;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.model.Encoder;
import org.medvision.api.model.Fusion;
import org.medvision.api.model.Head;
import org.medvision.api.registry.NamedRegistry;
import org.medvision.api.task.TaskProvider;

/**
 * Binds a {@link Medvision} and its registries as singletons for applications composed with Guice:
 *
 * <pre>{@code
 * Medvision mv = Guice.createInjector(new MedvisionModule()).getInstance(Medvision.class);
 * }</pre>
 *
 * <p>Bound: {@code Medvision}, {@code NamedRegistry<EngineProvider>}, {@code NamedRegistry<TaskProvider>},
 * {@code NamedRegistry<Encoder>}, {@code NamedRegistry<Fusion>}, {@code NamedRegistry<Head>}. Discovery happens the
 * first time one of them is requested, once per injector; a module made from a ready instance binds that instance.
 */
public final class MedvisionModule extends AbstractModule {
  private final Supplier<Medvision> factory;

  /** Discovers plugins on the thread's context class loader when first needed. */
  public MedvisionModule() {
    this(() -> Medvision.builder().build());
  }

  /** Binds {@code medvision}, e.g. one built with fixed plugin lists. */
  public MedvisionModule(Medvision medvision) {
    this(supplierOf(Objects.requireNonNull(medvision, "medvision")));
  }

  private MedvisionModule(Supplier<Medvision> factory) {
    this.factory = factory;
  }

  private static Supplier<Medvision> supplierOf(Medvision medvision) {
    return () -> medvision;
  }

  @Provides
  @Singleton
  Medvision medvision() {
    return factory.get();
  }

  @Provides
  @Singleton
  NamedRegistry<EngineProvider> engines(Medvision mv) {
    return mv.engines();
  }

  @Provides
  @Singleton
  NamedRegistry<TaskProvider> tasks(Medvision mv) {
    return mv.tasks();
  }

  @Provides
  @Singleton
  NamedRegistry<Encoder> encoders(Medvision mv) {
    return mv.encoders();
  }

  @Provides
  @Singleton
  NamedRegistry<Fusion> fusions(Medvision mv) {
    return mv.fusions();
  }

  @Provides
  @Singleton
  NamedRegistry<Head> heads(Medvision mv) {
    return mv.heads();
  }
}
