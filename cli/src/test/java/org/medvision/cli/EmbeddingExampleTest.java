package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.task.Task;
import org.medvision.api.weights.Safetensors;
import org.medvision.runtime.ModelCheckpoint;
import org.medvision.runtime.StudyPrediction;

/**
 * The README's "Embedding in a Java application" quotes the consumer project {@code examples/embedding/} file by file
 * (each code block follows an {@code <!-- embedding-example: PATH -->} marker). Here the quotes are compared with the
 * files, the class is compiled and run against this build's modules, and the project is built and run with Maven the
 * way the README says, from the artifacts {@code mvn install} put in the local repository.
 */
class EmbeddingExampleTest {
  /** Surefire runs in the cli module's folder. */
  private static final Path CHECKOUT = Path.of("").toAbsolutePath().getParent();
  private static final Path EXAMPLE = CHECKOUT.resolve("examples/embedding");
  private static final Path SOURCE = EXAMPLE.resolve("src/main/java/com/example/PredictFolder.java");
  private static final String MAIN_CLASS = "com.example.PredictFolder";
  private static final String MARKER = "<!-- embedding-example: ";
  private static final List<String> LABELS = List.of("normal", "ischemic", "hemorrhagic");
  /** float32 engine vs float32 interpreter through a whole network, then softmax (as in PredictCommandTest). */
  private static final double TOLERANCE = 1e-4;
  /** Set by CI, which installs the artifacts before the tests, so the Maven build cannot silently stop running. */
  private static final String REQUIRE_INSTALLED = "MEDVISION_REQUIRE_INSTALLED";

  @TempDir Path dir;

  @Test
  void readmeQuotesEveryFileOfTheExampleProjectVerbatim() throws IOException {
    Map<String, String> quoted = quotedFiles(Files.readAllLines(CHECKOUT.resolve("README.md")));
    assertEquals(exampleFiles(), new TreeSet<>(quoted.keySet()), "files of examples/embedding vs README quotes");
    quoted.forEach((path, text) -> assertEquals(readString(CHECKOUT.resolve(path)), text,
        "README's quote of " + path + " differs from the file"));
  }

  @Test
  void exampleClassCompilesAndPredictsWhatTheReferenceInterpreterDoes() throws Exception {
    Scans scans = scans();
    Path classes = Files.createDirectory(dir.resolve("classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests run on a JDK");
    ByteArrayOutputStream messages = new ByteArrayOutputStream();
    int rc = javac.run(null, messages, messages, "--release", "17", "-Xlint:all", "-Werror",
        "-cp", System.getProperty("java.class.path"), "-d", classes.toString(), SOURCE.toString());
    assertEquals(0, rc, messages.toString(StandardCharsets.UTF_8));

    List<StudyPrediction.Outcome> outcomes;
    try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
        getClass().getClassLoader())) {
      Method predict = loader.loadClass(MAIN_CLASS).getMethod("predict", Path.class, Path.class);
      outcomes = castOutcomes(predict.invoke(null, scans.checkpoint(), scans.folder()));
    }
    assertEquals(scans.expected().size(), outcomes.size());
    for (StudyPrediction.Outcome o : outcomes) {
      double[] expected = scans.expectedFor(o.input().label());
      ClassProbabilities p = o.result().first(ClassProbabilities.class).orElseThrow();
      assertEquals(LABELS, p.labels());
      for (int i = 0; i < LABELS.size(); i++) {
        assertEquals(expected[i], p.probability(i), TOLERANCE, o.input().label() + " " + LABELS.get(i));
      }
    }
  }

  @Test
  void exampleProjectBuildsWithMavenFromTheInstalledArtifactsAndPredicts() throws IOException, InterruptedException {
    Path mvn = mavenExecutable();
    Path repository = localRepository();
    String version = requireInstalled(repository);
    assertTrue(readString(EXAMPLE.resolve("pom.xml")).contains("<medvision.version>" + version + "</medvision.version>"),
        "examples/embedding/pom.xml must name this checkout's version " + version);
    Scans scans = scans();
    Path project = copyOfExample();

    // The README's commands: build, write the class path, run.
    run(project, List.of(mvn.toString(), "-B", "-ntp", "-q", "-o", "-Dmaven.repo.local=" + repository,
        "package", "dependency:build-classpath", "-Dmdep.outputFile=target/classpath"));
    String classPath = "target/medvision-embedding-example-1.0.jar:"
        + readString(project.resolve("target/classpath")).strip();
    String out = run(project, List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", classPath, MAIN_CLASS, scans.checkpoint().toString(), scans.folder().toString()));

    List<String> lines = out.lines().toList();
    assertEquals(scans.expected().size(), lines.size(), out);
    for (String line : lines) {
      int colon = line.lastIndexOf(": ");
      assertTrue(colon > 0, line);
      double[] expected = scans.expectedFor(line.substring(0, colon));
      int top = 0;
      for (int i = 1; i < expected.length; i++) {
        top = expected[i] > expected[top] ? i : top;
      }
      String[] labelAndProbability = line.substring(colon + 2).split(" ");
      assertEquals(LABELS.get(top), labelAndProbability[0], line);
      assertEquals(expected[top], Double.parseDouble(labelAndProbability[1]), TOLERANCE, line);
    }
  }

  /** A checkpoint with seeded random weights, a folder of two PNGs, and the reference probabilities of each. */
  private record Scans(Path checkpoint, Path folder, Map<String, double[]> expected) {
    double[] expectedFor(String inputLabel) {
      return expected.entrySet().stream().filter(e -> inputLabel.endsWith(e.getKey())).map(Map.Entry::getValue)
          .findFirst().orElseThrow(() -> new AssertionError("unexpected input " + inputLabel));
    }
  }

  private Scans scans() throws IOException {
    Task task = Fixtures.atto("3class");
    Path checkpoint = Fixtures.weights(dir, "best.safetensors", task, 42);
    ModelCheckpoint.writeFor(checkpoint, task, "test", "test");
    Path folder = Files.createDirectory(dir.resolve("scans"));
    Map<String, double[]> expected = new LinkedHashMap<>();
    for (int k : new int[] {1, 4}) {
      Path png = Fixtures.png(folder, "slice" + k + ".png", k);
      expected.put("/" + png.getFileName(), PredictCommandTest.reference(task, Safetensors.read(checkpoint), png));
    }
    return new Scans(checkpoint, folder, expected);
  }

  @SuppressWarnings("unchecked")
  private static List<StudyPrediction.Outcome> castOutcomes(Object outcomes) {
    return (List<StudyPrediction.Outcome>) outcomes;
  }

  /** Path -> quoted text, for every code block after a marker, in README order. */
  private static Map<String, String> quotedFiles(List<String> readme) {
    Map<String, String> quoted = new LinkedHashMap<>();
    for (int i = 0; i < readme.size(); i++) {
      String line = readme.get(i);
      if (!line.startsWith(MARKER)) {
        continue;
      }
      String path = line.substring(MARKER.length(), line.lastIndexOf(" -->"));
      if (i + 1 >= readme.size() || !readme.get(i + 1).startsWith("```")) {
        fail("README line " + (i + 1) + ": the marker for " + path + " must be followed by a code block");
      }
      StringBuilder text = new StringBuilder();
      int j = i + 2;
      for (; j < readme.size() && !readme.get(j).equals("```"); j++) {
        text.append(readme.get(j)).append('\n');
      }
      assertTrue(j < readme.size(), "README line " + (i + 2) + ": code block for " + path + " is not closed");
      assertTrue(quoted.put(path, text.toString()) == null, "README quotes " + path + " twice");
      i = j;
    }
    return quoted;
  }

  /**
   * The example project's POM and sources, relative to the checkout; not what a build or a user following the README
   * puts beside them (target/, a scans folder).
   */
  private static Set<String> exampleFiles() throws IOException {
    Set<String> files = new TreeSet<>(Set.of(CHECKOUT.relativize(EXAMPLE.resolve("pom.xml")).toString()));
    try (Stream<Path> walk = Files.walk(EXAMPLE.resolve("src"))) {
      walk.filter(Files::isRegularFile)
          .forEach(f -> files.add(CHECKOUT.relativize(f).toString().replace('\\', '/')));
    }
    return files;
  }

  private Path copyOfExample() throws IOException {
    Path project = dir.resolve("project");
    for (String file : exampleFiles()) {
      Path to = project.resolve(EXAMPLE.relativize(CHECKOUT.resolve(file)).toString());
      Files.createDirectories(to.getParent());
      Files.copy(CHECKOUT.resolve(file), to);
    }
    return project;
  }

  /** The Maven running this build (cli/pom.xml passes its home), else the first {@code mvn} on the PATH. */
  private static Path mavenExecutable() {
    String home = System.getProperty("medvision.maven.home", "");
    if (!home.isEmpty() && !home.startsWith("${") && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
      return Path.of(home, "bin", "mvn");
    }
    for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, "mvn"))) {
        return Path.of(entry, "mvn");
      }
    }
    skipOrFail("mvn is neither this build's Maven nor on the PATH");
    throw new AssertionError("unreachable");
  }

  /** This build's local repository (cli/pom.xml passes it), else -Dmaven.repo.local, else ~/.m2/repository. */
  private static Path localRepository() {
    String fromBuild = System.getProperty("medvision.maven.repository", "");
    if (!fromBuild.isEmpty() && !fromBuild.startsWith("${")) {
      return Path.of(fromBuild);
    }
    String local = System.getProperty("maven.repo.local");
    return local != null ? Path.of(local) : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** The checkout's version, once every artifact the BOM lists and the parent POM are in {@code repository}. */
  private static String requireInstalled(Path repository) {
    String bom = readString(CHECKOUT.resolve("bom/pom.xml"));
    Matcher version = Pattern.compile("<artifactId>medvision-bom</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(bom);
    assertTrue(version.find(), "bom/pom.xml has no version");
    String v = version.group(1);
    List<String> missing = new ArrayList<>();
    List<String> poms = List.of("medvision-bom", "medvision-parent");
    for (String artifact : poms) {
      if (!Files.isRegularFile(artifactFile(repository, artifact, v, "pom"))) {
        missing.add(artifact);
      }
    }
    Matcher managed = Pattern.compile("<artifactId>(medvision-[a-z-]+)</artifactId>").matcher(bom);
    while (managed.find()) {
      String artifact = managed.group(1);
      if (!poms.contains(artifact) && !Files.isRegularFile(artifactFile(repository, artifact, v, "jar"))) {
        missing.add(artifact);
      }
    }
    if (!missing.isEmpty()) {
      skipOrFail("org.medvision " + missing + " " + v + " not installed in " + repository
          + "; run mvn -B -ntp install -DskipTests in the checkout first");
    }
    return v;
  }

  private static Path artifactFile(Path repository, String artifact, String version, String extension) {
    return repository.resolve("org/medvision").resolve(artifact).resolve(version)
        .resolve(artifact + "-" + version + "." + extension);
  }

  private static void skipOrFail(String why) {
    if ("1".equals(System.getenv(REQUIRE_INSTALLED))) {
      fail(why + "; " + REQUIRE_INSTALLED + " is set, so this is a failure, not a skip");
    }
    assumeTrue(false, why);
  }

  /** Runs {@code command} in {@code folder} with this JDK; its stdout, after checking it exited 0 within 10 minutes. */
  private String run(Path folder, List<String> command) throws IOException, InterruptedException {
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    ProcessBuilder pb = new ProcessBuilder(command).directory(folder.toFile())
        .redirectOutput(out.toFile()).redirectError(err.toFile());
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = pb.start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      fail(String.join(" ", command) + " did not finish in 10 minutes");
    }
    String stdout = readString(out);
    assertEquals(0, p.exitValue(), String.join(" ", command) + "\n--- stdout\n" + stdout + "\n--- stderr\n"
        + readString(err));
    return stdout;
  }

  private static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
