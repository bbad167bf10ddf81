package org.medvision.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.embed.Medvision;
import org.medvision.api.graph.Graph;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.weights.KeyMap;
import org.medvision.api.weights.RandomWeights;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;

/** Where weights come from: a {@code .safetensors} file or seeded random initialisation. */
final class WeightsOptions {
  /** Seed used by --random-init without --seed. */
  static final long DEFAULT_SEED = 0;

  private WeightsOptions() {}

  static Options add(Options options, boolean allowRandom) {
    options.addOption(Args.valued("weights", "FILE", "weights in .safetensors format, named as the graph's "
        + "parameters ('medvision info --params' lists them)"));
    options.addOption(Args.valued("key-map", "NAME", "read --weights saved in another layout, e.g. torchvision for "
        + "the StrokeNeXt authors' PyTorch checkpoints (default: none, the task's own names; 'medvision tasks' "
        + "lists each task's layouts)"));
    if (allowRandom) {
      options.addOption(Args.flag("random-init", "use seeded random initial weights instead of --weights"));
      options.addOption(Args.valued("seed", "N", "seed for --random-init (default: " + DEFAULT_SEED + ")"));
    }
    return options;
  }

  /**
   * The weights the options name, checked against {@code graph}.
   *
   * @param mv the plugins, for the task's foreign checkpoint layouts (--key-map)
   * @param randomByDefault whether no option at all means random weights (bench) rather than an error
   * @throws UsageException if the options conflict or name no source
   * @throws MedvisionException if the file is missing, corrupt or does not fit the graph
   */
  static Weights load(CommandLine line, Medvision mv, Graph graph, boolean randomByDefault, PrintStream err) {
    Path file = Args.path(line, "weights");
    String keyMapName = line.getOptionValue("key-map");
    if (keyMapName != null && file == null) {
      throw new UsageException("--key-map needs --weights");
    }
    boolean random = line.hasOption("random-init");
    if (file != null && random) {
      throw new UsageException("give either --weights or --random-init, not both");
    }
    if (file == null && line.hasOption("seed") && !random && !randomByDefault) {
      throw new UsageException("--seed needs --random-init");
    }
    if (file != null) {
      if (!Files.isRegularFile(file)) {
        throw new MedvisionException("weights file not found: " + file);
      }
      Weights raw = Safetensors.read(file);
      if (keyMapName != null) {
        Map<String, KeyMap> keyMaps = TaskOptions.keyMaps(line, mv);
        KeyMap map = keyMaps.get(keyMapName);
        if (map == null) {
          throw new UnknownNameException("key map", keyMapName, keyMaps.keySet().stream().sorted().toList(),
              keyMaps.isEmpty() ? "this task reads only its own parameter names" : "");
        }
        raw = map.apply(raw);
      }
      checkRecordedModel(file, raw, graph);
      return raw.fitTo(graph);
    }
    if (!random && !randomByDefault) {
      throw new UsageException("give --weights FILE (a .safetensors file) or --random-init [--seed N]");
    }
    long seed = Args.longValue(line, "seed", DEFAULT_SEED);
    err.println("using random weights (seed " + seed + ")");
    return RandomWeights.initialize(graph, seed);
  }

  /**
   * Weights written by {@code medvision export --format safetensors} record the model they were made for; when that
   * disagrees with the requested one, saying so beats listing hundreds of mis-shaped tensors.
   */
  private static void checkRecordedModel(Path file, Weights weights, Graph graph) {
    for (String key : List.of("task", "variant", "subtask", "fusion")) {
      String recorded = weights.metadata().get(key);
      String wanted = graph.metadata().get(key);
      if (recorded != null && wanted != null && !recorded.equals(wanted)) {
        throw new MedvisionException("weights " + file + " were saved for " + key + " '" + recorded + "' but the model "
            + "asked for has " + key + " '" + wanted + "'; use --" + key + " " + recorded + " or other weights");
      }
    }
  }
}
