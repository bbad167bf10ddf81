package org.medvision.dicom.pixel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.medvision.dicom.DicomFile;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Dicomdir;
import org.medvision.dicom.Tags;
import org.medvision.dicom.TransferSyntax;

/**
 * The committed fuzz seeds are valid input (each decodes completely), so that fuzzing starts deep in the parsers
 * rather than at their first error check; {@code src/test/fuzz/make-seeds.sh} writes them.
 */
class FuzzSeedsTest {
  private static final Map<String, TransferSyntax> CODECS = Map.of("RleFuzzTest", TransferSyntax.RLE_LOSSLESS,
      "JpegFuzzTest", TransferSyntax.JPEG_LOSSLESS_SV1, "JpegLsFuzzTest", TransferSyntax.JPEG_LS_LOSSLESS,
      "Jpeg2000FuzzTest", TransferSyntax.JPEG_2000);

  @Test
  void everyPart10ImageSeedDecodesEveryFrame() throws Exception {
    List<Path> seeds = seeds("org/medvision/dicom/DicomPart10FuzzTestInputs/readAndDecode");
    assertEquals(15, seeds.size());
    for (Path seed : seeds) {
      DicomFile file = new DicomReader().read(seed);
      if (!file.dataSet().contains(Tags.PIXEL_DATA)) {
        continue; // the data set with sequences and text
      }
      FrameDecoder decoder = DataSetPixels.decoder(file);
      for (int frame = 0; frame < decoder.frameCount(); frame++) {
        assertEquals(decoder.description().samplesPerFrame(), decoder.decode(frame).length, seed.toString());
      }
    }
  }

  @Test
  void everyCodecSeedDecodes() throws Exception {
    for (Map.Entry<String, TransferSyntax> codec : CODECS.entrySet()) {
      List<Path> seeds = seeds("org/medvision/dicom/pixel/" + codec.getKey() + "Inputs/decodeFrame");
      assertFalse(seeds.isEmpty(), codec.getKey());
      for (Path seed : seeds) {
        byte[] input = Files.readAllBytes(seed);
        int samples = ((input[0] & 0xFF) + 1) * ((input[1] & 0xFF) + 1) * ((input[2] & 1) != 0 ? 3 : 1);
        assertEquals(samples, CodecFuzzInput.decode(input, codec.getValue()).length, seed.toString());
      }
    }
  }

  @Test
  void theDicomdirSeedListsItsImages() throws Exception {
    Path seed = seeds("org/medvision/dicom/DicomdirFuzzTestInputs/readDicomdir").get(0);
    assertEquals(2, Dicomdir.read(seed).stream().filter(r -> r.file().isPresent()).count());
  }

  /** The seeds (not the crash inputs) of one fuzz test's Inputs folder on the test class path. */
  private static List<Path> seeds(String folder) throws IOException, URISyntaxException {
    Path dir = Path.of(FuzzSeedsTest.class.getClassLoader().getResource(folder).toURI());
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("seed-")).sorted().toList();
    }
  }
}
