package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.train.RunFiles;
import org.medvision.train.report.EvaluationReport;

class DemoCommandTest {
  @TempDir
  Path dir;

  @Test
  void runsThePipelineSmallAndEnginesAgree() throws Exception {
    Path out = dir.resolve("demo");
    Cli.Result r = Cli.run("demo", "--out", out.toString(), "--count", "30", "--size", "40", "--image-size", "32",
        "--epochs", "1", "--batch", "8");
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    // It says what it will do and how long it expects before starting.
    String first = r.err().lines().findFirst().orElse("");
    assertTrue(first.startsWith("medvision demo:") && r.err().contains("Expect about"), r.err());

    assertTrue(Files.exists(out.resolve("data").resolve("manifest.csv")));
    assertTrue(Files.exists(out.resolve("run").resolve(RunFiles.BEST_WEIGHTS)));
    assertTrue(Files.exists(out.resolve("run").resolve(RunFiles.BEST_SIDECAR)));
    assertTrue(Files.exists(out.resolve("report").resolve(EvaluationReport.HTML)));
    assertTrue(Files.exists(out.resolve("report").resolve(EvaluationReport.METRICS)));
    assertTrue(Files.size(out.resolve("strokenext-atto.onnx")) > 100_000);

    assertTrue(r.out().contains("djl") && r.out().contains("onnx"), "both engines listed: " + r.out());
    Matcher m = Pattern.compile("between engines: (\\S+)").matcher(r.out());
    assertTrue(m.find(), r.out());
    double diff = Double.parseDouble(m.group(1));
    assertTrue(diff <= 1e-4, "engines disagree by " + diff);

    Cli.Result again = Cli.run("demo", "--out", out.toString(), "--count", "30");
    assertEquals(ExitCodes.RUNTIME_ERROR, again.code(), again.toString());
    assertTrue(again.err().toLowerCase(Locale.ROOT).contains("not empty") && again.err().contains("--force"),
        again.err());
  }
}
