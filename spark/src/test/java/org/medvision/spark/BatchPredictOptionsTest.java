package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.engine.Device;
import org.medvision.runtime.batch.BatchSettings;
import org.medvision.runtime.batch.OutputFormat;

/** The {@code spark-submit} command line: its defaults and what a wrong one says. */
class BatchPredictOptionsTest {
  private static BatchPredictOptions parse(String... args) {
    return BatchPredictOptions.parse(List.of(args));
  }

  @Test
  void defaultsAreTheLocalRunnersOnTheCpuWithParquet() {
    BatchPredictOptions o = parse("--model", "m.safetensors", "--input", "s3a://b/in", "--out", "s3a://b/out");
    assertEquals(new BatchPredictOptions("m.safetensors", "s3a://b/in", "s3a://b/out", "onnx", Device.CPU,
        BatchSettings.DEFAULT_BATCH, OutputFormat.PARQUET, 0, false), o);
    BatchPredictOptions all = parse("--model", "m", "--input", "i", "--out", "o", "--engine", "djl", "--device",
        "cuda:1", "--batch", "32", "--format", "jsonl", "--partitions", "64", "--overwrite");
    assertEquals(new BatchPredictOptions("m", "i", "o", "djl", Device.cuda(1), 32, OutputFormat.JSONL, 64, true), all);
    assertNull(parse("--help"));
  }

  @Test
  void aWrongCommandLineNamesTheOption() {
    assertEquals("missing required option --out", message("--model", "m", "--input", "i"));
    assertEquals("--batch must be at least 1, got 0", message("--model", "m", "--input", "i", "--out", "o",
        "--batch", "0"));
    assertEquals("--batch needs an integer, got 'many'", message("--model", "m", "--input", "i", "--out", "o",
        "--batch", "many"));
    assertEquals("unknown option '--workers'", message("--workers", "2"));
    assertEquals("--model needs a value", message("--model", "--input", "i"));
    assertEquals("--out was given twice", message("--out", "a", "--out", "b"));
  }

  private static String message(String... args) {
    return assertThrows(BatchPredictOptions.UsageError.class, () -> parse(args)).getMessage();
  }
}
