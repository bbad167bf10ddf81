package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.image.ImageReadException;

class BatchLoaderTest {
  private static final List<String> CLASSES = List.of("a", "b");

  @TempDir Path dir;

  /** Rows whose image i is a gray PNG filled with value i (8 x 6 pixels), labelled by parity. */
  private Dataset pngs(int n) throws IOException {
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      BufferedImage img = new BufferedImage(6, 8, BufferedImage.TYPE_BYTE_GRAY);
      for (int y = 0; y < 8; y++) {
        for (int x = 0; x < 6; x++) {
          img.getRaster().setSample(x, y, 0, i);
        }
      }
      Path p = dir.resolve("img" + i + ".png");
      ImageIO.write(img, "png", p.toFile());
      rows.add(new Sample(p, CLASSES.get(i % 2), null, null, dir.resolve("m.csv"), i + 2));
    }
    return Dataset.of(rows, CLASSES);
  }

  @Test
  void batchesAreNchwFloatsWithInt64LabelsInTheGivenOrder() throws IOException {
    Dataset d = pngs(5);
    int[] order = {4, 1, 3, 0, 2};
    try (BatchLoader loader = BatchLoader.builder(d).batchSize(2).build()) {
      List<BatchLoader.Batch> batches = new ArrayList<>();
      loader.batches(order).forEachRemaining(batches::add);
      assertEquals(3, batches.size());
      BatchLoader.Batch first = batches.get(0);
      assertEquals(Shape.of(2, 1, 8, 6), first.images().shape());
      assertEquals(DType.FLOAT32, first.images().dtype());
      assertEquals(DType.INT64, first.labels().dtype());
      assertEquals(Shape.of(2), first.labels().shape());
      assertArrayEquals(new long[] {0, 1}, first.labels().toLongArray());
      assertArrayEquals(new int[] {4, 1}, first.indices());
      float[] px = first.images().toFloatArray();
      assertEquals(4 / 255f, px[0], 1e-7f);
      assertEquals(1 / 255f, px[48], 1e-7f);
      assertEquals(Shape.of(1, 1, 8, 6), batches.get(2).images().shape());
    }
  }

  @Test
  void imagesAreDecodedOnlyWhenTheirBatchIsRequested() throws IOException {
    Dataset d = pngs(6);
    AtomicInteger decodes = new AtomicInteger();
    Function<Path, Tensor> counting = p -> {
      decodes.incrementAndGet();
      return Tensor.of(Shape.of(1, 2, 2), 0, 0, 0, 0);
    };
    try (BatchLoader loader = BatchLoader.builder(d).batchSize(2).decoder(counting).build()) {
      Iterator<BatchLoader.Batch> it = loader.batches(d.shuffledOrder(3));
      assertEquals(0, decodes.get());
      it.next();
      assertEquals(2, decodes.get());
      it.next();
      assertEquals(4, decodes.get());
    }
  }

  @Test
  void prefetchGivesTheSameBatchesAndTheTransformSeesDatasetIndices() throws IOException {
    Dataset d = pngs(7);
    BatchLoader.ImageTransform scaleByIndex = (img, index) -> {
      float[] v = img.toFloatArray();
      for (int i = 0; i < v.length; i++) {
        v[i] *= index + 1;
      }
      return Tensor.of(img.shape(), v);
    };
    int[] order = d.shuffledOrder(11);
    List<float[]> plain = new ArrayList<>();
    List<float[]> prefetched = new ArrayList<>();
    try (BatchLoader a = BatchLoader.builder(d).batchSize(3).transform(scaleByIndex).build();
        BatchLoader b = BatchLoader.builder(d).batchSize(3).transform(scaleByIndex).prefetch(true).build()) {
      a.batches(order).forEachRemaining(x -> plain.add(x.images().toFloatArray()));
      b.batches(order).forEachRemaining(x -> prefetched.add(x.images().toFloatArray()));
    }
    assertEquals(3, plain.size());
    for (int i = 0; i < plain.size(); i++) {
      assertArrayEquals(plain.get(i), prefetched.get(i));
    }
    // Image k holds k/255 and is scaled by k+1.
    int k = order[0];
    assertEquals(k * (k + 1) / 255f, plain.get(0)[0], 1e-6f);
  }

  @Test
  void dropLastAndShuffleAreDeterministic() throws IOException {
    Dataset d = pngs(5);
    assertArrayEquals(d.shuffledOrder(9), d.shuffledOrder(9));
    int[] sorted = d.shuffledOrder(9).clone();
    Arrays.sort(sorted);
    assertArrayEquals(new int[] {0, 1, 2, 3, 4}, sorted);
    try (BatchLoader loader = BatchLoader.builder(d).batchSize(2).dropLast(true).build()) {
      assertEquals(2, loader.batchCount(5));
    }
  }

  @Test
  void aBrokenImageIsReportedWithItsRowEvenWhenPrefetched() throws IOException {
    Dataset d = pngs(4);
    Files.write(d.get(2).path(), new byte[] {1, 2, 3});
    try (BatchLoader loader = BatchLoader.builder(d).batchSize(2).prefetch(true).build()) {
      Iterator<BatchLoader.Batch> it = loader.batches(new int[] {0, 1, 2, 3});
      it.next();
      DatasetException e = assertThrows(DatasetException.class, it::next);
      assertTrue(e.getMessage().startsWith(dir.resolve("m.csv") + " line 4: "), e.getMessage());
      assertTrue(e.getCause() instanceof ImageReadException);
    }
  }

  @Test
  void mismatchedShapesAndBadOrdersAreNamed() throws IOException {
    Dataset d = pngs(2);
    Function<Path, Tensor> sizes = p -> p.toString().endsWith("img1.png") ? Tensor.of(Shape.of(1, 1, 2), 0, 0)
        : Tensor.of(Shape.of(1, 2, 1), 0, 0);
    try (BatchLoader loader = BatchLoader.builder(d).decoder(sizes).build()) {
      DatasetException e = assertThrows(DatasetException.class, () -> loader.batches(new int[] {0, 1}).next());
      assertTrue(e.getMessage().contains("img1.png has shape [1, 1, 2] but the batch's first image has [1, 2, 1]"),
          e.getMessage());
      assertThrows(MedvisionException.class, () -> loader.batches(new int[] {2}));
    }
  }
}
