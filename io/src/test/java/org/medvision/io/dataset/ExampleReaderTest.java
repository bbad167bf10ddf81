package org.medvision.io.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.BagField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskEstimator;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.TextField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.transform.VolumeOps;
import org.medvision.io.volume.Affine;
import org.medvision.io.volume.Volume;

/**
 * {@link ExampleReader} on small NIfTI volumes and masks written here: the crop, intensity and resize steps of a
 * volume, masks that follow it, labels, attributes, text and bags, and errors that name the row and the file.
 *
 * <p>The scan is 10 x 8 x 6 voxels (x, y, z) of 1 x 2 x 3 mm on the canonical axes, holding 10x + 20y + 30z − 200 HU.
 * The lung mask is the box x 3..6, y 2..4, z 1..3; a 2 mm margin widens it by 2, 1 and 1 voxels, so the crop box is
 * x [1, 9), y [1, 6), z [0, 5): 8 x 5 x 5 voxels. The lesion mask is x 1..3, y 1..5, z 0..4 (75 voxels, against the
 * lung's 36), which is the first 3 of the crop's 8 columns.
 */
class ExampleReaderTest {
  private static final int[] DIMS = {10, 8, 6};
  private static final Affine AFFINE = Affine.diagonal(1, 2, 3, 0, 0, 0);
  private static final TestFiles.VoxelFunction HU = (x, y, z) -> 10 * x + 20 * y + 30 * z - 200;
  private static final TestFiles.VoxelFunction LUNG = TestFiles.box(3, 2, 1, 7, 5, 4);
  private static final TestFiles.VoxelFunction LESION = TestFiles.box(1, 1, 0, 4, 6, 5);
  /** The crop box {x0, y0, z0, x1, y1, z1} the lung mask and a 2 mm margin give. */
  private static final int[] BOX = {1, 1, 0, 9, 6, 5};
  private static final List<String> FINDINGS = List.of("nodule", "effusion", "fibrosis");

  @TempDir Path dir;
  private Path manifest;
  private Path ct;
  private Path lung;
  private Path lesion;

  @BeforeEach
  void writeScan() throws IOException {
    manifest = dir.resolve("m.csv");
    ct = TestFiles.nifti(dir.resolve("ct.nii.gz"), DIMS, AFFINE, HU);
    lung = TestFiles.nifti(dir.resolve("lung.nii"), DIMS, AFFINE, LUNG);
    lesion = TestFiles.nifti(dir.resolve("lesion.nii"), DIMS, AFFINE, LESION);
  }

  /** A volume "ct" cropped to mask "lung" (+2 mm), clipped to [−200, 200] HU and resized to {@code size}. */
  private static VolumeField ctField(int[] size) {
    return new VolumeField("ct", "ct", new VolumePreprocessing("lung", 2, -200, 200, Double.NaN, size), true);
  }

  private static MaskField lungField(MaskEstimator estimator) {
    return new MaskField("lung", "lung", "ct", null, 0.5, estimator, false);
  }

  /** Every kind of field: the scan, its lung and lesion masks, findings, attributes and a report. */
  private static DataSchema chest(int[] size, int[] lesionGrid, MaskEstimator estimator) {
    return new DataSchema(List.of(ctField(size), lungField(estimator),
        new MaskField("lesion", "lesion", "ct", lesionGrid, 0.5, null, false),
        new LabelField("findings", "findings", FINDINGS, Map.of(), Set.of("no-finding"), true, "|"),
        new AttributeField("age", "age", "", ""),
        AttributeField.maskRatio("lesion_ratio", "lesion", "lung"),
        new TextField("report", "report", false)), Map.of("volume", "ct"), "");
  }

  /** A row of the manifest at {@code line} with the given cells (column, value pairs; nulls leave a cell empty). */
  private Sample row(int line, String... cells) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < cells.length; i += 2) {
      if (cells[i + 1] != null) {
        values.put(cells[i], cells[i + 1]);
      }
    }
    String id = values.getOrDefault("ct", values.values().iterator().next());
    return new Sample(id, values, null, null, null, manifest, line);
  }

  private Sample fullRow() {
    return row(2, "ct", ct.toString(), "lung", lung.toString(), "lesion", lesion.toString(), "findings",
        "Nodule|effusion", "age", "63.5", "report", "Small nodule, left lower lobe.");
  }

  private static ExampleReader reader(DataSchema schema) {
    return ExampleReader.all(schema, null);
  }

  /** A reader of every field, attributes included ({@link ExampleReader#all} leaves them out). */
  private static ExampleReader everything(DataSchema schema) {
    Set<String> names = new java.util.LinkedHashSet<>();
    schema.fields().forEach(f -> names.add(f.name()));
    return new ExampleReader(schema, names, null, null);
  }

  /** The expected crop of the scan, clipped and scaled: (HU + 200) / 400 over the box. */
  private static float[] expectedCrop() {
    float[] out = new float[8 * 5 * 5];
    int i = 0;
    for (int z = BOX[2]; z < BOX[5]; z++) {
      for (int y = BOX[1]; y < BOX[4]; y++) {
        for (int x = BOX[0]; x < BOX[3]; x++) {
          out[i++] = (float) ((HU.at(x, y, z) + 200) / 400);
        }
      }
    }
    return out;
  }

  @Test
  void aVolumeIsCroppedToItsMaskWithTheMarginInMillimetresThenClippedAndScaled() {
    ExampleReader.Decoded d = reader(chest(new int[] {5, 5, 8}, null, null)).decode(fullRow(), 0, 0, Map.of());
    Tensor t = d.example().tensor("ct");
    assertEquals(DType.FLOAT32, t.dtype());
    assertEquals(Shape.of(1, 5, 5, 8), t.shape());
    assertArrayEquals(expectedCrop(), t.toFloatArray(), 1e-6f);
    assertArrayEquals(BOX, d.volumes().get("ct").box());
    // Values outside the clip range saturate: a window of [0, 100] HU makes the low corner 0 and the high one 1.
    DataSchema narrow = new DataSchema(List.of(new VolumeField("ct", "ct", new VolumePreprocessing("", 0, 0, 100,
        Double.NaN, new int[] {6, 8, 10}), true)), Map.of("volume", "ct"), "");
    float[] all = reader(narrow).read(row(2, "ct", ct.toString()), 0, 0).tensor("ct").toFloatArray();
    assertEquals(0f, all[0]);
    assertEquals(1f, all[all.length - 1]);
    assertEquals(0.5f, all[4 + 10 * (3 + 8 * 5)], 1e-6f); // HU(4, 3, 5) = 50
  }

  @Test
  void theCropIsResizedTrilinearlyWithPixelCentresAligned() {
    // 8 x 5 x 5 voxels to W, H, D = 6, 4, 3. The scaled scan is linear in the voxel index, so trilinear resizing
    // reproduces it at each output voxel's (clamped) source position.
    Tensor t = reader(chest(new int[] {3, 4, 6}, null, null)).read(fullRow(), 0, 0).tensor("ct");
    assertEquals(Shape.of(1, 3, 4, 6), t.shape());
    float[] v = t.toFloatArray();
    int i = 0;
    for (int z = 0; z < 3; z++) {
      for (int y = 0; y < 4; y++) {
        for (int x = 0; x < 6; x++) {
          double hu = HU.at(0, 0, 0) + 10 * (BOX[0] + source(x, 8, 6)) + 20 * (BOX[1] + source(y, 5, 4))
              + 30 * (BOX[2] + source(z, 5, 3));
          assertEquals((hu + 200) / 400, v[i++], 1e-5, "voxel " + x + "," + y + "," + z);
        }
      }
    }
  }

  /** Where output index o of an axis of n → m voxels samples its source: (o + 0.5)·n/m − 0.5 in [0, n − 1]. */
  private static double source(int o, int n, int m) {
    return Math.min(n - 1, Math.max(0, (o + 0.5) * n / m - 0.5));
  }

  @Test
  void percentileScalingClipsAtTheVolumesOwnPercentile() {
    DataSchema schema = new DataSchema(List.of(new VolumeField("ct", "ct", new VolumePreprocessing("", 0, 0, 0,
        50, new int[] {6, 8, 10}), true)), Map.of("volume", "ct"), "");
    float[] v = reader(schema).read(row(2, "ct", ct.toString()), 0, 0).tensor("ct").toFloatArray();
    // Minimum −200 HU; the 50th percentile (nearest rank, the 240th of 480 sorted values) sets 1.
    float[] sorted = TestFiles.fill(DIMS, HU);
    java.util.Arrays.sort(sorted);
    double high = sorted[239];
    for (int i = 0; i < v.length; i++) {
      int x = i % 10;
      int y = (i / 10) % 8;
      int z = i / 80;
      double want = Math.min(1, (HU.at(x, y, z) + 200) / (high + 200));
      assertEquals(want, v[i], 1e-6, "voxel " + i);
    }
  }

  @Test
  void masksFollowTheirVolumeAndReduceToTheirGrid() {
    Example full = reader(chest(new int[] {5, 5, 8}, null, null)).read(fullRow(), 0, 0);
    float[] lesionOnCrop = full.tensor("lesion").toFloatArray();
    assertEquals(Shape.of(1, 5, 5, 8), full.tensor("lesion").shape());
    for (int i = 0; i < lesionOnCrop.length; i++) {
      assertEquals(i % 8 < 3 ? 1f : 0f, lesionOnCrop[i], "voxel " + i);
    }
    assertEquals(36, VolumeOps.count(full.tensor("lung").toFloatArray()));
    assertEquals(1f, full.tensor(MaskField.presenceKey("lesion")).toFloatArray()[0]);
    assertEquals(1f, full.tensor(MaskField.presenceKey("lung")).toFloatArray()[0]);
    // On a 1 x 1 x 2 grid the lesion fills 3/4 of the left cell and none of the right one.
    Example coarse = reader(chest(new int[] {5, 5, 8}, new int[] {1, 1, 2}, null)).read(fullRow(), 0, 0);
    assertEquals(Shape.of(1, 1, 1, 2), coarse.tensor("lesion").shape());
    assertArrayEquals(new float[] {1, 0}, coarse.tensor("lesion").toFloatArray());
    // Resized with the volume, a mask stays binary.
    Example resized = reader(chest(new int[] {3, 4, 6}, null, null)).read(fullRow(), 0, 0);
    for (float x : resized.tensor("lesion").toFloatArray()) {
      assertTrue(x == 0 || x == 1, "mask value " + x);
    }
  }

  @Test
  void aMapOnTheTensorGridGoesBackOntoTheScan() {
    ExampleReader.Decoded d = reader(chest(new int[] {5, 5, 8}, null, null)).decode(fullRow(), 0, 0, Map.of());
    Tensor lungOnCrop = d.example().tensor("lung");
    Volume back = d.volumes().get("ct").toSource(lungOnCrop.reshape(Shape.of(5, 5, 8)));
    assertArrayEquals(DIMS, back.dims());
    assertArrayEquals(TestFiles.fill(DIMS, LUNG), back.toArray());
  }

  @Test
  void aScanStoredInRasOrderGivesTheSameTensors() throws IOException {
    // The same scan and masks with x and y reversed in storage, as NIfTI tools usually write them.
    Affine ras = Affine.ofRows(new double[][] {{-1, 0, 0, 9}, {0, -2, 0, 14}, {0, 0, 3, 0}});
    Path ct2 = TestFiles.nifti(dir.resolve("ras/ct.nii"), DIMS, ras, (x, y, z) -> HU.at(9 - x, 7 - y, z));
    Path lung2 = TestFiles.nifti(dir.resolve("ras/lung.nii"), DIMS, ras, (x, y, z) -> LUNG.at(9 - x, 7 - y, z));
    Path lesion2 = TestFiles.nifti(dir.resolve("ras/lesion.nii"), DIMS, ras, (x, y, z) -> LESION.at(9 - x, 7 - y,
        z));
    ExampleReader r = reader(chest(new int[] {3, 4, 6}, new int[] {1, 2, 3}, null));
    Example a = r.read(fullRow(), 0, 0);
    Example b = r.read(row(2, "ct", ct2.toString(), "lung", lung2.toString(), "lesion", lesion2.toString(),
        "findings", "nodule"), 0, 0);
    for (String key : List.of("ct", "lung", "lesion")) {
      assertArrayEquals(a.tensor(key).toFloatArray(), b.tensor(key).toFloatArray(), 1e-6f, key);
    }
  }

  @Test
  void aMissingOptionalMaskIsZerosMarkedAbsent() {
    Sample noLesion = row(3, "ct", ct.toString(), "lung", lung.toString(), "findings", "nodule");
    Example e = reader(chest(new int[] {5, 5, 8}, new int[] {1, 1, 2}, null)).read(noLesion, 0, 0);
    assertEquals(Shape.of(1, 1, 1, 2), e.tensor("lesion").shape());
    assertArrayEquals(new float[] {0, 0}, e.tensor("lesion").toFloatArray());
    assertEquals(0f, e.tensor("lesion.present").toFloatArray()[0]);
    assertEquals(Shape.scalar(), e.tensor("lesion.present").shape());
    assertEquals(1f, e.tensor("lung.present").toFloatArray()[0]);
  }

  @Test
  void anEstimatorStandsInForAnAbsentMask() {
    List<float[]> seen = new ArrayList<>();
    MaskEstimator boxOfTheLung = new MaskEstimator() {
      @Override
      public byte[] estimate(float[] voxels, int[] dims, double[] spacing) {
        seen.add(voxels.clone());
        assertArrayEquals(DIMS, dims);
        assertArrayEquals(new double[] {1, 2, 3}, spacing, 1e-6);
        float[] m = TestFiles.fill(dims, LUNG);
        byte[] out = new byte[m.length];
        for (int i = 0; i < m.length; i++) {
          out[i] = (byte) m[i];
        }
        return out;
      }

      @Override
      public String description() {
        return "the lung box";
      }
    };
    DataSchema schema = chest(new int[] {5, 5, 8}, null, boxOfTheLung);
    Example estimated = reader(schema).read(row(3, "ct", ct.toString(), "findings", "nodule"), 0, 0);
    Example given = reader(schema).read(fullRow(), 0, 0);
    assertEquals(1, seen.size(), "the estimator runs only for the row without a mask");
    // It sees the stored values (HU), x fastest.
    assertArrayEquals(TestFiles.fill(DIMS, HU), seen.get(0));
    assertArrayEquals(given.tensor("ct").toFloatArray(), estimated.tensor("ct").toFloatArray());
    assertArrayEquals(given.tensor("lung").toFloatArray(), estimated.tensor("lung").toFloatArray());
    assertEquals(1f, estimated.tensor("lung.present").toFloatArray()[0]);
  }

  @Test
  void labelsAttributesAndText() {
    ExampleReader r = everything(chest(new int[] {5, 5, 8}, null, null));
    Example e = r.read(fullRow(), 0, 0);
    Tensor findings = e.tensor("findings");
    assertEquals(DType.FLOAT32, findings.dtype());
    assertEquals(Shape.of(3), findings.shape());
    assertArrayEquals(new float[] {1, 1, 0}, findings.toFloatArray());
    assertEquals(Shape.scalar(), e.tensor("age").shape());
    assertEquals(63.5f, e.tensor("age").toFloatArray()[0]);
    // No ratio column: derived from the raw masks, 75 lesion voxels over 36 lung voxels.
    assertEquals(75 / 36.0, e.tensor("lesion_ratio").toFloatArray()[0], 1e-6);
    assertEquals("Small nodule, left lower lobe.", e.text().get("report"));
    assertEquals(fullRow().id(), e.id());
    assertEquals(manifest + " line 2", e.where());

    Sample sparse = row(4, "ct", ct.toString(), "lung", lung.toString(), "findings", "No Finding");
    Example s = r.read(sparse, 0, 0);
    assertArrayEquals(new float[] {0, 0, 0}, s.tensor("findings").toFloatArray());
    assertTrue(Float.isNaN(s.tensor("age").toFloatArray()[0]));
    assertTrue(Float.isNaN(s.tensor("lesion_ratio").toFloatArray()[0]));
    assertEquals("", s.text().get("report"));
    // A ratio given in the manifest is used as it is.
    Sample given = row(5, "ct", ct.toString(), "lung", lung.toString(), "findings", "fibrosis", "lesion_ratio",
        "0.25");
    assertEquals(0.25f, r.read(given, 0, 0).tensor("lesion_ratio").toFloatArray()[0]);
  }

  @Test
  void aSingleLabelIsAnInt64ClassIndex() {
    DataSchema schema = new DataSchema(List.of(ctField(new int[] {5, 5, 8}), lungField(null),
        LabelField.single("label", "label", List.of("normal", "covid"))), Map.of("volume", "ct"), "label");
    Tensor label = reader(schema).read(row(2, "ct", ct.toString(), "lung", lung.toString(), "label", " COVID "), 0,
        0).tensor("label");
    assertEquals(DType.INT64, label.dtype());
    assertEquals(Shape.scalar(), label.shape());
    assertArrayEquals(new long[] {1}, label.toLongArray());
    DatasetException e = assertThrows(DatasetException.class, () -> reader(schema).read(row(7, "ct", ct.toString(),
        "lung", lung.toString(), "label", "influenza"), 0, 0));
    assertTrue(e.getMessage().startsWith(manifest + " line 7: label 'influenza' is not a class of [normal, covid]"),
        e.getMessage());
  }

  @Test
  void inputReadersNeedNoLabels() {
    DataSchema schema = chest(new int[] {5, 5, 8}, null, null);
    assertEquals(Set.of("ct", "lung"), schema.inputFields());
    Example e = ExampleReader.inputs(schema, null).read(row(2, "ct", ct.toString(), "lung", lung.toString()), 0, 0);
    assertEquals(Set.of("ct", "lung", "lung.present"), e.tensors().keySet());
    MedvisionException x = assertThrows(MedvisionException.class,
        () -> new ExampleReader(schema, Set.of("ct", "spleen"), null, null));
    assertTrue(x.getMessage().contains("no field 'spleen'") && x.getMessage().contains("lesion_ratio"),
        x.getMessage());
  }

  @Test
  void aMaskReadWithoutItsVolumeLandsOnTheSameGrid() {
    DataSchema schema = chest(new int[] {3, 4, 6}, new int[] {1, 2, 3}, null);
    Example both = reader(schema).read(fullRow(), 0, 0);
    Example alone = new ExampleReader(schema, Set.of("lesion"), null, null).read(fullRow(), 0, 0);
    assertEquals(Set.of("lesion", "lesion.present"), alone.tensors().keySet());
    assertArrayEquals(both.tensor("lesion").toFloatArray(), alone.tensor("lesion").toFloatArray());
  }

  @Test
  void aVolumeTheCallerLoadedIsUsedInsteadOfTheFile() {
    DataSchema schema = chest(new int[] {3, 4, 6}, null, null);
    Volume loaded = TestFiles.volume(DIMS, AFFINE, HU);
    Sample noFile = row(3, "lung", lung.toString(), "lesion", lesion.toString(), "findings", "nodule");
    Example fromFile = reader(schema).read(fullRow(), 0, 0);
    Example given = reader(schema).decode(noFile, 0, 0, Map.of("ct", loaded)).example();
    for (String key : List.of("ct", "lung", "lesion")) {
      assertArrayEquals(fromFile.tensor(key).toFloatArray(), given.tensor(key).toFloatArray(), key);
    }
  }

  @Test
  void anImageMaskFollowsItsImageThroughAugmentationAndReducesToItsGrid() throws IOException {
    Path xray = TestFiles.png(dir.resolve("xray.png"), 8, 8, (x, y) -> 16 * x + y);
    // The mask covers rows 0..3 of columns 0..1: half of the top-left 4 x 4 cell.
    Path roi = TestFiles.png(dir.resolve("roi.png"), 8, 8, (x, y) -> x < 2 && y < 4 ? 255 : 0);
    ImageField image = ImageField.of("xray", "xray", new ImagePreprocessing(1, 8, 8, new float[] {0},
        new float[] {1}), Windowing.file());
    DataSchema fine = new DataSchema(List.of(image, new MaskField("roi", "roi", "xray", null, 0.5, null, false)),
        Map.of("image", "xray"), "");
    DataSchema coarse = new DataSchema(List.of(image, new MaskField("roi", "roi", "xray", new int[] {2, 2}, 0.5,
        null, false)), Map.of("image", "xray"), "");
    Sample r = row(2, "xray", xray.toString(), "roi", roi.toString());
    Example c = reader(coarse).read(r, 0, 0);
    assertEquals(Shape.of(1, 2, 2), c.tensor("roi").shape());
    assertArrayEquals(new float[] {1, 0, 0, 0}, c.tensor("roi").toFloatArray());
    assertEquals(1f, c.tensor("roi.present").toFloatArray()[0]);
    // With augmentation the image and its mask get the same rotation and flip; the mask stays 0/1.
    Augmentation augmentation = new Augmentation(17);
    Tensor roiTensor = reader(fine).read(r, 0, 0).tensor("roi");
    Tensor xrayTensor = org.medvision.io.image.Images.read(xray);
    for (int index = 0; index < 4; index++) {
      Augmentation.Params p = augmentation.params(2, index);
      Example a = reader(fine).withAugmentation(augmentation).read(r, 2, index);
      assertArrayEquals(Augmentation.apply(xrayTensor, p).toFloatArray(), a.tensor("xray").toFloatArray(), 1e-6f);
      assertArrayEquals(Augmentation.applyToMask(roiTensor, p).toFloatArray(), a.tensor("roi").toFloatArray());
    }
    // A row without the optional mask gets zeros on the grid and presence 0.
    Example none = reader(coarse).read(row(3, "xray", xray.toString()), 0, 0);
    assertArrayEquals(new float[4], none.tensor("roi").toFloatArray());
    assertEquals(0f, none.tensor("roi.present").toFloatArray()[0]);
  }

  @Test
  void aBagIsItsFolderImagesInNameOrderPaddedToItsSize() throws IOException {
    Path bag = dir.resolve("bag");
    TestFiles.png(bag.resolve("b.png"), 4, 4, (x, y) -> 20);
    TestFiles.png(bag.resolve("a.png"), 4, 4, (x, y) -> 10);
    Files.writeString(bag.resolve(".DS_Store"), "x");
    ImageField instance = ImageField.of("instance", "", new ImagePreprocessing(1, 4, 4, new float[] {0},
        new float[] {1}), Windowing.file());
    DataSchema schema = new DataSchema(List.of(new BagField("slices", "bag", instance, 3),
        LabelField.single("label", "label", List.of("no", "yes"))), Map.of("slices", "slices"), "label");
    Example e = reader(schema).read(row(2, "bag", bag.toString(), "label", "yes"), 0, 0);
    Tensor t = e.tensor("slices");
    assertEquals(Shape.of(3, 1, 4, 4), t.shape());
    float[] v = t.toFloatArray();
    assertEquals(10 / 255f, v[0], 1e-7f);
    assertEquals(20 / 255f, v[16], 1e-7f);
    assertEquals(0f, v[32]);
    assertArrayEquals(new float[] {1, 1, 0}, e.tensor(BagField.maskKey("slices")).toFloatArray());
    // Longer bags keep their first instances.
    TestFiles.png(bag.resolve("c.png"), 4, 4, (x, y) -> 30);
    TestFiles.png(bag.resolve("d.png"), 4, 4, (x, y) -> 40);
    Example cut = reader(schema).read(row(2, "bag", bag.toString(), "label", "yes"), 0, 0);
    assertEquals(30 / 255f, cut.tensor("slices").toFloatArray()[32], 1e-7f);
    assertArrayEquals(new float[] {1, 1, 1}, cut.tensor("slices.mask").toFloatArray());
    // A bag may list its files, separated by ';', relative to the manifest.
    Example listed = reader(schema).read(row(2, "bag", "bag/d.png; bag/a.png", "label", "no"), 0, 0);
    float[] l = listed.tensor("slices").toFloatArray();
    assertEquals(40 / 255f, l[0], 1e-7f);
    assertEquals(10 / 255f, l[16], 1e-7f);
    assertArrayEquals(new float[] {1, 1, 0}, listed.tensor("slices.mask").toFloatArray());
  }

  @Test
  void aMaskOnAnotherGridIsRefusedNamingBothFilesAndTheRow() throws IOException {
    DataSchema schema = chest(new int[] {5, 5, 8}, null, null);
    Path small = TestFiles.nifti(dir.resolve("small.nii"), new int[] {10, 8, 5}, AFFINE, LESION);
    Path coarse = TestFiles.nifti(dir.resolve("coarse.nii"), DIMS, Affine.diagonal(1, 2, 2.5, 0, 0, 0), LESION);
    Path flipped = TestFiles.nifti(dir.resolve("flipped.nii"), DIMS,
        Affine.ofRows(new double[][] {{-1, 0, 0, 9}, {0, 2, 0, 0}, {0, 0, 3, 0}}), LESION);
    Map<Path, String> problems = Map.of(small, "size 10x8x5 vs 10x8x6", coarse, "spacing", flipped, "orientation");
    for (Map.Entry<Path, String> p : problems.entrySet()) {
      Sample bad = row(9, "ct", ct.toString(), "lung", lung.toString(), "lesion", p.getKey().toString());
      DatasetException e = assertThrows(DatasetException.class, () -> reader(schema).read(bad, 0, 0));
      String m = e.getMessage();
      assertTrue(m.startsWith(manifest + " line 9: mask " + p.getKey() + " does not lie on the voxel grid of " + ct),
          m);
      assertTrue(m.contains(p.getValue()), m);
    }
  }

  @Test
  void aMissingMaskFileIsNamedWithItsRow() {
    Path absent = dir.resolve("absent.nii");
    Sample bad = row(11, "ct", ct.toString(), "lung", lung.toString(), "lesion", absent.toString());
    DatasetException e = assertThrows(DatasetException.class,
        () -> reader(chest(new int[] {5, 5, 8}, null, null)).read(bad, 0, 0));
    assertTrue(e.getMessage().startsWith(manifest + " line 11: ") && e.getMessage().contains(absent.toString()),
        e.getMessage());
  }

  @Test
  void aLabelOfNoClassIsNamedWithItsRow() {
    Sample bad = row(6, "ct", ct.toString(), "lung", lung.toString(), "findings", "nodule|tumour");
    DatasetException e = assertThrows(DatasetException.class,
        () -> reader(chest(new int[] {5, 5, 8}, null, null)).read(bad, 0, 0));
    assertTrue(e.getMessage().startsWith(manifest + " line 6: findings lists 'tumour', which is not one of "
        + "[nodule, effusion, fibrosis]"), e.getMessage());
  }

  @Test
  void anEmptyCropMaskOrNoneAtAllIsNamedWithItsRow() throws IOException {
    Path empty = TestFiles.nifti(dir.resolve("empty.nii"), DIMS, AFFINE, (x, y, z) -> 0);
    DataSchema schema = chest(new int[] {5, 5, 8}, null, null);
    DatasetException e = assertThrows(DatasetException.class,
        () -> reader(schema).read(row(4, "ct", ct.toString(), "lung", empty.toString(), "findings", "nodule"), 0, 0));
    assertEquals(manifest + " line 4: lung is empty, so ct cannot be cropped to it", e.getMessage());
    // Also when only a mask aligned to the cropped volume is read.
    ExampleReader lesionOnly = new ExampleReader(schema, Set.of("lesion"), null, null);
    e = assertThrows(DatasetException.class, () -> lesionOnly.read(row(4, "ct", ct.toString(), "lung",
        empty.toString(), "lesion", lesion.toString()), 0, 0));
    assertEquals(manifest + " line 4: lung is empty, so ct cannot be cropped to it", e.getMessage());
    // An estimate that finds nothing (e.g. a mask file given where a scan belongs) says so and asks what the file is.
    MaskEstimator nothing = new MaskEstimator() {
      @Override
      public byte[] estimate(float[] voxels, int[] dims, double[] spacing) {
        return new byte[voxels.length];
      }

      @Override
      public String description() {
        return "air below -320 HU";
      }
    };
    e = assertThrows(DatasetException.class, () -> reader(chest(new int[] {5, 5, 8}, null, nothing)).read(
        row(4, "ct", ct.toString(), "findings", "nodule"), 0, 0));
    assertEquals(manifest + " line 4: lung is empty, so ct cannot be cropped to it; it was estimated from ct (air "
        + "below -320 HU) and found nothing: is this file a scan of the kind the task reads (e.g. CT in Hounsfield "
        + "units), not a mask or label volume?", e.getMessage());
    for (ExampleReader r : List.of(reader(schema), lesionOnly)) {
      e = assertThrows(DatasetException.class,
          () -> r.read(row(5, "ct", ct.toString(), "lesion", lesion.toString(), "findings", "nodule"), 0, 0));
      assertTrue(e.getMessage().startsWith(manifest + " line 5: ct is cropped to lung, which this row lacks"),
          e.getMessage());
    }
  }

  @Test
  void allReadsEveryFieldButAttributes() {
    DataSchema schema = chest(new int[] {5, 5, 8}, null, null);
    Example e = reader(schema).read(fullRow(), 0, 0);
    assertEquals(List.of("ct", "lung", "lung.present", "lesion", "lesion.present", "findings"),
        List.copyOf(e.tensors().keySet()));
    assertEquals(Set.of("report"), e.text().keySet());
    Example with = everything(schema).read(fullRow(), 0, 0);
    assertEquals(List.of("ct", "lung", "lung.present", "lesion", "lesion.present", "findings", "age",
        "lesion_ratio"), List.copyOf(with.tensors().keySet()));
  }
}
