package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Batches;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.image.ImageReadException;
import org.medvision.io.volume.Affine;

class ExampleLoaderTest {
  private static final List<String> CLASSES = List.of("a", "b");
  /** 8 x 6 grayscale images, values kept in [0, 1] (mean 0, std 1), and a two-class label. */
  private static final DataSchema IMAGES = new DataSchema(List.of(
      ImageField.of("image", "path", new ImagePreprocessing(1, 8, 6, new float[] {0}, new float[] {1}),
          Windowing.file()),
      LabelField.single("label", "label", CLASSES)), Map.of("image", "image"), "label");

  @TempDir Path dir;

  /** Rows whose image i is a gray PNG filled with value i (8 x 6 pixels), labelled by parity. */
  private ExampleSet pngs(int n) throws IOException {
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int value = i;
      Path p = TestFiles.png(dir.resolve("img" + i + ".png"), 6, 8, (x, y) -> value);
      String label = CLASSES.get(i % 2);
      rows.add(new Sample(p.toString(), Map.of("path", p.toString(), "label", label), label, null, null,
          dir.resolve("m.csv"), i + 2));
    }
    return new ExampleSet(IMAGES, rows, Map.of());
  }

  private static List<List<Example>> all(ExampleLoader loader, int[] order) {
    List<List<Example>> out = new ArrayList<>();
    loader.batches(order).forEachRemaining(out::add);
    return out;
  }

  @Test
  void batchesFollowTheOrderAndCollateToNchwFloatsWithInt64Labels() throws IOException {
    ExampleSet set = pngs(5);
    try (ExampleLoader loader = new ExampleLoader(set, ExampleReader.all(IMAGES, null), 2, 0, false)) {
      assertEquals(3, loader.batchCount(5));
      List<List<Example>> batches = all(loader, new int[] {4, 1, 3, 0, 2});
      assertEquals(List.of(2, 2, 1), batches.stream().map(List::size).toList());
      List<Example> first = batches.get(0);
      assertEquals(List.of(set.id(4), set.id(1)), first.stream().map(Example::id).toList());
      assertEquals(dir.resolve("m.csv") + " line 6", first.get(0).where());
      Map<String, Tensor> collated = Batches.collate(first);
      Tensor images = collated.get("image");
      Tensor labels = collated.get("label");
      assertEquals(Shape.of(2, 1, 8, 6), images.shape());
      assertEquals(DType.FLOAT32, images.dtype());
      assertEquals(DType.INT64, labels.dtype());
      assertArrayEquals(new long[] {0, 1}, labels.toLongArray());
      float[] px = images.toFloatArray();
      assertEquals(4 / 255f, px[0], 1e-7f);
      assertEquals(1 / 255f, px[48], 1e-7f);
      assertEquals(Shape.of(1, 1, 8, 6), Batches.collate(batches.get(2)).get("image").shape());
    }
  }

  @Test
  void rowsAreDecodedOnlyWhenTheirBatchIsRequested() throws IOException {
    ExampleSet set = pngs(4);
    try (ExampleLoader loader = new ExampleLoader(set, ExampleReader.all(IMAGES, null), 2, 0, false)) {
      Iterator<List<Example>> it = loader.batches(new int[] {0, 1, 2, 3});
      // Files replaced after the iterator exists are what the batches show: nothing was decoded ahead.
      TestFiles.png(Path.of(set.id(0)), 6, 8, (x, y) -> 200);
      assertEquals(200 / 255f, it.next().get(0).tensor("image").toFloatArray()[0], 1e-7f);
      Files.write(Path.of(set.id(3)), new byte[] {1, 2, 3});
      DatasetException e = assertThrows(DatasetException.class, it::next);
      assertTrue(e.getMessage().startsWith(dir.resolve("m.csv") + " line 5: "), e.getMessage());
    }
  }

  @Test
  void prefetchGivesTheSameBatchesAndEachDrawItsOwnAugmentation() throws IOException {
    ExampleSet set = pngs(7);
    ExampleReader augmented = ExampleReader.all(IMAGES, null).withAugmentation(new Augmentation(3));
    int[] order = {6, 2, 0, 2, 5, 1, 4, 3};
    List<float[]> plain = new ArrayList<>();
    List<float[]> prefetched = new ArrayList<>();
    try (ExampleLoader a = new ExampleLoader(set, augmented, 3, 1, false);
        ExampleLoader b = new ExampleLoader(set, augmented, 3, 1, true)) {
      all(a, order).forEach(batch -> batch.forEach(x -> plain.add(x.tensor("image").toFloatArray())));
      all(b, order).forEach(batch -> batch.forEach(x -> prefetched.add(x.tensor("image").toFloatArray())));
    }
    assertEquals(order.length, plain.size());
    for (int i = 0; i < plain.size(); i++) {
      assertArrayEquals(plain.get(i), prefetched.get(i), "position " + i);
    }
    // Row 2's first draw is augmented as the augmentation says for epoch 1, index 2; its second draw (an
    // oversampling sampler's repeat) gets its own, index 2 + 7, not a copy of the first.
    Tensor decoded = org.medvision.io.image.Images.read(Path.of(set.id(2)));
    Tensor first = Augmentation.apply(decoded, new Augmentation(3).params(1, 2));
    Tensor repeat = Augmentation.apply(decoded, new Augmentation(3).params(1, 2 + 7));
    assertArrayEquals(first.toFloatArray(), plain.get(1), 1e-6f);
    assertArrayEquals(repeat.toFloatArray(), plain.get(3), 1e-6f);
    assertFalse(java.util.Arrays.equals(plain.get(1), plain.get(3)), "a repeated draw is augmented anew");

    // A resumed pass (from batch 1) decodes what the whole pass gave from there, repeats included.
    List<float[]> resumed = new ArrayList<>();
    try (ExampleLoader c = new ExampleLoader(set, augmented, 3, 1, true)) {
      c.batches(order, 1).forEachRemaining(batch -> batch.forEach(x -> resumed.add(x.tensor("image").toFloatArray())));
    }
    assertEquals(order.length - 3, resumed.size());
    for (int i = 0; i < resumed.size(); i++) {
      assertArrayEquals(plain.get(3 + i), resumed.get(i), "resumed position " + i);
    }
  }

  @Test
  void sameSeedEpochAndIndexGiveTheSameTensorsAndAnotherEpochOthers() throws IOException {
    ExampleSet set = pngs(4);
    int[] order = {0, 1, 2, 3};
    List<float[]> first = new ArrayList<>();
    List<float[]> again = new ArrayList<>();
    List<float[]> nextEpoch = new ArrayList<>();
    ExampleReader reader = ExampleReader.all(IMAGES, null);
    try (ExampleLoader a = new ExampleLoader(set, reader.withAugmentation(new Augmentation(9)), 2, 1, true);
        ExampleLoader b = new ExampleLoader(set, reader.withAugmentation(new Augmentation(9)), 4, 1, false);
        ExampleLoader c = new ExampleLoader(set, reader.withAugmentation(new Augmentation(9)), 2, 2, false)) {
      all(a, order).forEach(batch -> batch.forEach(x -> first.add(x.tensor("image").toFloatArray())));
      all(b, order).forEach(batch -> batch.forEach(x -> again.add(x.tensor("image").toFloatArray())));
      all(c, order).forEach(batch -> batch.forEach(x -> nextEpoch.add(x.tensor("image").toFloatArray())));
    }
    boolean anyDiffers = false;
    for (int i = 0; i < order.length; i++) {
      assertArrayEquals(first.get(i), again.get(i), "row " + i);
      anyDiffers |= !java.util.Arrays.equals(first.get(i), nextEpoch.get(i));
    }
    assertTrue(anyDiffers, "epoch 2 drew the same augmentation as epoch 1 for every row");
  }

  @Test
  void volumesAndTheirMasksAreFlippedTogether() throws IOException {
    // A 6 x 3 x 4 volume (x, y, z), already canonical and resized to itself, so only augmentation changes it.
    int[] dims = {6, 3, 4};
    Affine affine = Affine.diagonal(1, 1, 2, 0, 0, 0);
    Path ct = TestFiles.nifti(dir.resolve("ct.nii"), dims, affine, (x, y, z) -> 10 * x + y + z);
    Path lesion = TestFiles.nifti(dir.resolve("lesion.nii"), dims, affine, TestFiles.box(0, 0, 0, 2, 3, 4));
    VolumeField volume = new VolumeField("ct", "ct", new VolumePreprocessing("", 0, 0, 100, Double.NaN,
        new int[] {4, 3, 6}), true);
    MaskField mask = new MaskField("lesion", "lesion", "ct", null, 0.5, null, true);
    DataSchema schema = new DataSchema(List.of(volume, mask), Map.of("ct", "ct"), "");
    List<Sample> rows = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      rows.add(new Sample("case" + i, Map.of("ct", ct.toString(), "lesion", lesion.toString()), "", null, null,
          dir.resolve("m.csv"), i + 2));
    }
    ExampleSet set = new ExampleSet(schema, rows, Map.of());
    Augmentation augmentation = new Augmentation(5);
    int[] order = new int[rows.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    List<Example> plain = new ArrayList<>();
    List<Example> augmented = new ArrayList<>();
    List<Example> repeated = new ArrayList<>();
    ExampleReader reader = ExampleReader.all(schema, null);
    try (ExampleLoader p = new ExampleLoader(set, reader, 5, 3, false);
        ExampleLoader a = new ExampleLoader(set, reader.withAugmentation(augmentation), 5, 3, true);
        ExampleLoader r = new ExampleLoader(set, reader.withAugmentation(augmentation), 16, 3, false)) {
      all(p, order).forEach(plain::addAll);
      all(a, order).forEach(augmented::addAll);
      all(r, order).forEach(repeated::addAll);
    }
    int flipped = 0;
    for (int i = 0; i < order.length; i++) {
      Augmentation.Params params = augmentation.params(3, i);
      float[] v = plain.get(i).tensor("ct").toFloatArray();
      float[] m = plain.get(i).tensor("lesion").toFloatArray();
      float[] gotV = augmented.get(i).tensor("ct").toFloatArray();
      float[] gotM = augmented.get(i).tensor("lesion").toFloatArray();
      assertArrayEquals(gotV, repeated.get(i).tensor("ct").toFloatArray(), "row " + i + " is not reproducible");
      assertArrayEquals(gotM, repeated.get(i).tensor("lesion").toFloatArray(), "row " + i + " is not reproducible");
      float[] wantV = params.flip() ? mirrorX(v, dims[0]) : v.clone();
      float[] wantM = params.flip() ? mirrorX(m, dims[0]) : m;
      jitter(wantV, params.brightness(), params.contrast());
      assertArrayEquals(wantV, gotV, 1e-6f, "row " + i + " volume, " + params);
      // Masks move with their volume but keep their values.
      assertArrayEquals(wantM, gotM, "row " + i + " mask, " + params);
      for (int k = 0; k < gotM.length; k++) {
        int x = k % dims[0];
        boolean inside = params.flip() ? x >= dims[0] - 2 : x < 2;
        assertEquals(inside ? 1f : 0f, gotM[k], "row " + i + " voxel " + k);
      }
      flipped += params.flip() ? 1 : 0;
    }
    assertTrue(flipped > 0 && flipped < order.length, flipped + " of " + order.length + " rows flipped");
  }

  /** Each x row reversed (a left-right flip of a volume stored x fastest). */
  private static float[] mirrorX(float[] v, int nx) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      int x = i % nx;
      out[i - x + (nx - 1 - x)] = v[i];
    }
    return out;
  }

  /** Brightness then contrast about the mean, each clamped to [0, 1], as {@link Augmentation} documents. */
  private static void jitter(float[] v, double brightness, double contrast) {
    double sum = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.min(1, Math.max(0, v[i] * brightness));
      sum += v[i];
    }
    double mean = sum / v.length;
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) Math.min(1, Math.max(0, mean + contrast * (v[i] - mean)));
    }
  }

  @Test
  void aBrokenImageIsReportedWithItsRowEvenWhenPrefetched() throws IOException {
    ExampleSet set = pngs(4);
    Files.write(Path.of(set.id(2)), new byte[] {1, 2, 3});
    try (ExampleLoader loader = new ExampleLoader(set, ExampleReader.all(IMAGES, null), 2, 0, true)) {
      Iterator<List<Example>> it = loader.batches(new int[] {0, 1, 2, 3});
      it.next();
      DatasetException e = assertThrows(DatasetException.class, it::next);
      assertTrue(e.getMessage().startsWith(dir.resolve("m.csv") + " line 4: "), e.getMessage());
      assertTrue(e.getMessage().contains(set.id(2)), e.getMessage());
      assertInstanceOf(ImageReadException.class, e.getCause());
    }
  }

  @Test
  void badOrdersAndBatchSizesAreNamedAndAClosedLoaderStops() throws IOException {
    ExampleSet set = pngs(2);
    ExampleReader reader = ExampleReader.all(IMAGES, null);
    MedvisionException e = assertThrows(MedvisionException.class, () -> new ExampleLoader(set, reader, 0, 0, false));
    assertEquals("batch size must be at least 1, got 0", e.getMessage());
    ExampleLoader loader = new ExampleLoader(set, reader, 1, 0, true);
    e = assertThrows(MedvisionException.class, () -> loader.batches(new int[] {0, 2}));
    assertEquals("batch order holds index 2 but the data set has 2 examples", e.getMessage());
    assertFalse(loader.batches(new int[0]).hasNext());
    Iterator<List<Example>> it = loader.batches(new int[] {0, 1});
    it.next();
    loader.close();
    assertTrue(it.hasNext());
    assertEquals("example loader is closed", assertThrows(MedvisionException.class, it::next).getMessage());
  }
}
