package org.medvision.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spark-submit} on a cluster whose executors lack ONNX Runtime: the entry point runs in a JVM of its own, in
 * {@code local[1]} mode, with this module's test class path less the {@code onnxruntime} jar, and its task must fail
 * with a message naming the artifact to add, not a {@link NoClassDefFoundError} deep in a stack trace.
 */
class MissingNativesTest {
  @TempDir Path dir;

  @Test
  void anExecutorWithoutOnnxRuntimeNamesTheArtifactToAdd() throws Exception {
    Path model = Fixtures.checkpoint(dir.resolve("model").resolve("best.safetensors"), Fixtures.atto(), 3);
    Fixtures.pngs(dir.resolve("in"), 2, 5);
    String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> entries = Arrays.stream(classPath.split(File.pathSeparator))
        .filter(e -> !Path.of(e).getFileName().toString().startsWith("onnxruntime-")).toList();
    assertTrue(entries.size() < classPath.split(File.pathSeparator).length, "the onnxruntime jar is on " + classPath);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, entries));
    command.add("-Dspark.master=local[1]");
    command.add("-Dspark.ui.enabled=false");
    command.add("-Dspark.driver.bindAddress=127.0.0.1");
    command.add("-Dspark.driver.host=127.0.0.1");
    command.add("-Dlog4j2.configurationFile=" + Path.of(getClass().getResource("/log4j2-test.properties").toURI()));
    command.add(BatchPredict.class.getName());
    command.addAll(List.of("--model", model.toString(), "--input", dir.resolve("in").toString(), "--out",
        dir.resolve("out").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("log.txt").toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    assertTrue(process.waitFor(180, TimeUnit.SECONDS), "the job did not end within 180 s");
    String log = Files.readString(dir.resolve("log.txt"), StandardCharsets.UTF_8);
    String errorLine = log.lines().filter(l -> l.startsWith("error: ")).collect(Collectors.joining("\n"));
    assertEquals(1, process.exitValue(), log);
    assertTrue(errorLine.startsWith("error: ONNX Runtime native library not found on the driver on "), log);
    assertTrue(errorLine.contains(": add org.medvision:medvision-engine-onnx:") && errorLine.contains(
        " and com.microsoft.onnxruntime:onnxruntime:1.") && errorLine.contains(" to the executor class path"),
        errorLine);
    assertTrue(Files.notExists(dir.resolve("out").resolve("_SUCCESS")), "a failed job leaves no finished output");
  }
}
