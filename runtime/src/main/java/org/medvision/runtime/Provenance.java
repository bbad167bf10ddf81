package org.medvision.runtime;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;

/**
 * Where a result comes from, carried by every output: task and configuration, graph, engine and version, device,
 * and each member's weights file and SHA-256.
 */
public final class Provenance {
  private Provenance() {}

  /** The provenance entries of running {@code model} on {@code engine}, in display order. */
  public static Map<String, Object> of(ModelSource model, Engine engine, CompileOptions options) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task", model.task().name());
    m.put("variant", model.task().config().variant());
    m.put("options", model.sharedOptions());
    m.put("graph", model.task().graph().name());
    m.put("engine", engine.name());
    m.put("engineVersion", engine.version());
    m.put("device", options.device().toString());
    m.put("model", model.file().toString());
    m.put("weightsSha256", weightsSha256(model));
    List<Map<String, Object>> members = new java.util.ArrayList<>();
    for (ModelSource.Member member : model.members()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", member.name());
      e.put("weights", String.valueOf(member.weightsFile()));
      e.put("sha256", member.sha256());
      if (!member.trainingOptions().isEmpty()) {
        e.put("trainingOptions", new java.util.TreeMap<>(member.trainingOptions()));
      }
      members.add(e);
    }
    m.put("members", members);
    return m;
  }

  /** The SHA-256 identifying the weights: the member's, or for an ensemble the members' joined by {@code +}. */
  public static String weightsSha256(ModelSource model) {
    return String.join("+", model.members().stream().map(ModelSource.Member::sha256).toList());
  }
}
