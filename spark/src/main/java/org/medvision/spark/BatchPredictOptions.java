package org.medvision.spark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Device;
import org.medvision.runtime.batch.BatchSettings;
import org.medvision.runtime.batch.OutputFormat;

/**
 * The command line of {@link BatchPredict}: {@code --model --input --out [--engine --device --batch --format
 * --partitions --overwrite]}.
 *
 * @param model the model file (a checkpoint or its sidecar) on any Hadoop file system, or shipped with {@code --files}
 * @param input a folder (searched recursively), a file or a glob on any Hadoop file system
 * @param out the output folder, written by Spark's writer
 * @param engine the engine name
 * @param device the device each executor runs on, e.g. {@code cpu} or {@code cuda:0}
 * @param batch examples per engine call
 * @param format Parquet or JSON lines
 * @param partitions the number of partitions the inputs are spread over, or 0 for 4 per core
 * @param overwrite whether an existing output folder is replaced
 */
record BatchPredictOptions(String model, String input, String out, String engine, Device device, int batch,
    OutputFormat format, int partitions, boolean overwrite) {
  /** The usage message. */
  static final String USAGE = String.join("\n",
      "usage: spark-submit --class org.medvision.spark.BatchPredict medvision-spark-<version>-all.jar \\",
      "           --model MODEL --input INPUT --out OUT [options]",
      "",
      "Runs a trained model over every image, NIfTI volume and DICOM file under INPUT on the cluster, one compiled",
      "model per executor JVM, and writes one row per prediction (or per unreadable input, with its error) to OUT.",
      "",
      "  --model MODEL      checkpoint (best.safetensors, with best.json beside it) or its sidecar; a local path,",
      "                     hdfs://..., s3a://..., or a file shipped with --files",
      "  --input INPUT      folder (searched recursively), file or glob, on any Hadoop file system",
      "  --out OUT          output folder; rows go to OUT/parquet (or OUT/jsonl), as the local runner writes them",
      "  --engine NAME      engine: onnx (default), djl or tensorflow (their natives must be on the executors)",
      "  --device DEV       cpu (default) or cuda:N on GPU executors",
      "  --batch N          examples per engine call (default 8)",
      "  --format FMT       parquet (default) or jsonl (JSON lines)",
      "  --partitions N     spread the inputs over N partitions, for a 3-D task whole folders (default: 4 per core",
      "                     of the application)",
      "  --overwrite        replace OUT if it exists (default: refuse)",
      "  --help             this message");

  /** Default examples per engine call: the local runner's. */
  static final int DEFAULT_BATCH = BatchSettings.DEFAULT_BATCH;

  /**
   * Parses {@code args}.
   *
   * @return the options, or null when {@code --help} was asked for
   * @throws UsageError naming the option that is missing, unknown or malformed
   */
  static BatchPredictOptions parse(List<String> args) {
    Map<String, String> values = new LinkedHashMap<>();
    boolean overwrite = false;
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      switch (a) {
        case "--help", "-h" -> {
          return null;
        }
        case "--overwrite" -> overwrite = true;
        case "--model", "--input", "--out", "--engine", "--device", "--batch", "--format", "--partitions" -> {
          if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
            throw new UsageError(a + " needs a value");
          }
          if (values.put(a.substring(2), args.get(++i)) != null) {
            throw new UsageError(a + " was given twice");
          }
        }
        default -> throw new UsageError("unknown option '" + a + "'");
      }
    }
    OutputFormat format;
    try {
      format = OutputFormat.named(values.getOrDefault("format", "parquet"));
    } catch (MedvisionException e) {
      throw new UsageError("--format: " + e.getMessage());
    }
    Device device;
    try {
      device = Device.parse(values.getOrDefault("device", "cpu"));
    } catch (MedvisionException | IllegalArgumentException e) {
      throw new UsageError("--device: " + e.getMessage());
    }
    return new BatchPredictOptions(required(values, "model"), required(values, "input"), required(values, "out"),
        values.getOrDefault("engine", "onnx"), device, integer(values, "batch", DEFAULT_BATCH, 1), format,
        integer(values, "partitions", 0, 1), overwrite);
  }

  private static String required(Map<String, String> values, String name) {
    String v = values.get(name);
    if (v == null) {
      throw new UsageError("missing required option --" + name);
    }
    return v;
  }

  private static int integer(Map<String, String> values, String name, int fallback, int min) {
    String v = values.get(name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n < min) {
        throw new UsageError("--" + name + " must be at least " + min + ", got " + n);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new UsageError("--" + name + " needs an integer, got '" + v + "'");
    }
  }

  /** The command line is wrong; the message says what to write instead. */
  static final class UsageError extends MedvisionException {
    private static final long serialVersionUID = 1L;

    UsageError(String message) {
      super(message);
    }
  }
}
