package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.Device;
import org.medvision.api.engine.Engine;
import org.medvision.api.engine.EngineCapabilities;
import org.medvision.api.engine.EngineProvider;

/** {@code medvision engines}: every engine provider, its capabilities and, with --probe, what loads on this machine. */
public final class EnginesCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command reading engines from {@code medvision}. */
  @Inject
  public EnginesCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "engines";
  }

  @Override
  public String summary() {
    return "list the engines with their devices, dtypes and capabilities";
  }

  @Override
  public String description() {
    return "Lists every engine provider on the class path with the Maven artifact that provides it and what its "
        + "build can target (device kinds, dtypes, training, number of IR ops). With --probe each engine is loaded, "
        + "which loads its native libraries, and its runtime version and the devices usable on this machine are "
        + "shown; an engine that fails to load is reported and the others are still probed.";
  }

  @Override
  public List<String> examples() {
    return List.of("engines", "engines --probe", "engines --probe --json");
  }

  @Override
  public Options options() {
    return new Options()
        .addOption(Args.flag("probe", "load each engine and show its version and available devices (default: off)"))
        .addOption(Args.flag("json", "print JSON instead of text"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    boolean probe = line.hasOption("probe");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (EngineProvider p : medvision.get().engines().all()) {
      EngineCapabilities caps = p.capabilities();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", p.name());
      m.put("description", p.description());
      m.put("artifact", p.artifact());
      m.put("devices", caps.devices().stream().map(k -> k.name().toLowerCase(Locale.ROOT)).toList());
      m.put("dtypes", caps.dtypes().stream().map(Object::toString).sorted().toList());
      m.put("training", caps.training());
      m.put("ops", caps.ops().size());
      if (probe) {
        try (Engine e = p.create()) {
          m.put("version", e.version());
          m.put("availableDevices", e.availableDevices().stream().map(Device::toString).toList());
        } catch (MedvisionException e) {
          m.put("error", e.getMessage());
        }
      }
      rows.add(m);
    }
    if (line.hasOption("json")) {
      ctx.out().println(Json.write(rows));
      return ExitCodes.OK;
    }
    if (rows.isEmpty()) {
      ctx.out().println("no engines found; " + Medvision.ENGINE_HINT);
    }
    for (Map<String, Object> m : rows) {
      String description = m.get("description").toString();
      ctx.out().println(m.get("name") + (description.isEmpty() ? "" : " - " + description));
      ctx.out().println("  artifact:  " + m.get("artifact"));
      ctx.out().println("  devices:   " + join(m.get("devices")));
      ctx.out().println("  dtypes:    " + join(m.get("dtypes")));
      ctx.out().println("  training:  " + ((Boolean) m.get("training") ? "yes" : "no"));
      ctx.out().println("  ops:       " + m.get("ops"));
      if (m.containsKey("version")) {
        ctx.out().println("  version:   " + m.get("version"));
        ctx.out().println("  available: " + join(m.get("availableDevices")));
      }
      if (m.containsKey("error")) {
        ctx.out().println("  probe:     failed: " + m.get("error"));
      }
    }
    return ExitCodes.OK;
  }

  private static String join(Object list) {
    return ((List<?>) list).stream().map(Object::toString).collect(Collectors.joining(", "));
  }
}
