package org.medvision.api.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class PythonReferenceTest {
  @TempDir
  Path dir;

  @Test
  void aMissingModuleSkipsOrFailsAsTheEnvironmentAsks() {
    String flag = System.getProperty("medvision.testdata.required", System.getenv("MEDVISION_REQUIRE_TESTDATA"));
    boolean required = flag != null && (flag.equals("1") || flag.toLowerCase(Locale.ROOT).equals("true"));
    Class<? extends Throwable> expected = required ? AssertionFailedError.class : TestAbortedException.class;
    Throwable t = assertThrows(expected, () -> PythonReference.requireModules("medvision_no_such_module"));
    assertEquals(true, t.getMessage().contains(PythonReference.PYTHON.toString()), t.getMessage());
  }

  @Test
  void rawFilesRoundTrip() {
    double[] values = {0, -1.5, Math.PI, Double.NaN, Double.MAX_VALUE};
    Path file = dir.resolve("values.f8");
    PythonReference.write(file, values);
    assertArrayEquals(values, PythonReference.read(file));
    PythonReference.write(file, new float[] {0.1f});
    assertArrayEquals(new double[] {0.1f}, PythonReference.read(file));
  }
}
