package org.medvision.api.embed;

import java.util.List;
import java.util.Set;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineException;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.tensor.DType;

/** A provider that the discovery tests register through a generated {@code META-INF/services} file. */
public final class DiscoverableEngineProvider implements EngineProvider {
  /** Needed by {@link java.util.ServiceLoader}. */
  public DiscoverableEngineProvider() {}

  @Override
  public String name() {
    return "discoverable";
  }

  @Override
  public EngineCapabilities capabilities() {
    return new EngineCapabilities(List.of(Device.Kind.CPU), Set.of(DType.FLOAT32), Set.of(), false);
  }

  @Override
  public String artifact() {
    return "org.medvision:test";
  }

  @Override
  public Engine create() {
    throw new EngineException("the discovery test engine has no runtime");
  }
}
