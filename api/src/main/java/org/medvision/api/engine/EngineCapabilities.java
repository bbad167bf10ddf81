package org.medvision.api.engine;

import java.util.List;
import java.util.Set;
import org.medvision.api.graph.Op;
import org.medvision.api.tensor.DType;

/**
 * What an engine can do, as advertised before it loads its natives.
 *
 * @param devices device kinds the engine build can target (whether the machine has them is checked at compile)
 * @param dtypes element types it computes in
 * @param ops the IR ops it executes
 * @param training whether it offers training
 */
public record EngineCapabilities(List<Device.Kind> devices, Set<DType> dtypes, Set<Op> ops, boolean training) {
  /** Copies the collections. */
  public EngineCapabilities {
    devices = List.copyOf(devices);
    dtypes = Set.copyOf(dtypes);
    ops = Set.copyOf(ops);
  }
}
