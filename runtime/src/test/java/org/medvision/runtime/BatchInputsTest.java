package org.medvision.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.io.volume.Affine;
import org.medvision.runtime.batch.BatchInputs;
import org.medvision.runtime.batch.BatchItem;

/** How batch jobs find their inputs and name them: folder trees and manifests, 2-D and 3-D tasks. */
class BatchInputsTest {
  private static final DataSchema IMAGES = Models.atto("3class").data();
  private static final DataSchema VOLUMES = Models.tinyVolume("narrow").data();

  @TempDir Path dir;

  private static List<BatchItem> all(BatchInputs inputs) {
    List<BatchItem> out = new ArrayList<>();
    inputs.forEachRemaining(out::add);
    return out;
  }

  private static List<String> ids(List<BatchItem> items) {
    return items.stream().map(BatchItem::inputId).toList();
  }

  @Test
  void aFolderTreeGivesImagesDicomFramesAndNiftiSlicesWithRelativeIdsAndEstimatesItsSize() throws IOException {
    Path root = dir.resolve("in");
    Models.png(root.resolve("b.png"), 1);
    Models.png(root.resolve("a.png"), 2);
    Path ct = Models.ctSeries(root.resolve("ct"), 2, 5).get(0);
    Models.nifti(root.resolve("vol").resolve("v.nii.gz"), 8, 6, 3, Affine.identity(), 3);
    Models.png(root.resolve(".hidden").resolve("h.png"), 3);
    Files.writeString(root.resolve("notes.txt"), "no input");
    Files.write(root.resolve("ct").resolve("broken.dcm"), new byte[] {1, 2, 3});

    BatchInputs inputs = BatchInputs.folder(IMAGES, root);
    assertEquals(7, inputs.estimatedCount(), "one per candidate file before anything is read");
    List<BatchItem> items = all(inputs);
    String sliceName = ct.getFileName().toString();
    List<String> ids = ids(items);
    assertEquals(List.of("a.png", "b.png"), ids.subList(0, 2));
    assertTrue(ids.contains("ct/" + sliceName), ids.toString());
    assertEquals(List.of("vol/v.nii.gz#slice=1", "vol/v.nii.gz#slice=2", "vol/v.nii.gz#slice=3"),
        ids.subList(ids.size() - 3, ids.size()));
    assertEquals(items.size(), inputs.estimatedCount(), "exact once listed");
    BatchItem broken = items.stream().filter(i -> i.inputId().equals("ct/broken.dcm")).findFirst().orElseThrow();
    assertTrue(broken.isError());
    assertTrue(broken.error().contains("broken.dcm"), broken.error());
    BatchItem slice = items.stream().filter(i -> i.inputId().equals("ct/" + sliceName)).findFirst().orElseThrow();
    String study = DicomReader.readFile(ct).dataSet().getString(Tags.STUDY_INSTANCE_UID);
    assertEquals(study, slice.studyUid());
    assertNotNull(slice.seriesUid());
    assertNull(items.get(0).studyUid());
    assertEquals(root.resolve("a.png").toString(), items.get(0).path());
  }

  @Test
  void aSymbolicLinkBackUpTheTreeIsWalkedOnce() throws IOException {
    Path root = dir.resolve("in");
    Models.png(root.resolve("sub").resolve("a.png"), 1);
    Files.createSymbolicLink(root.resolve("sub").resolve("loop"), root);
    BatchInputs inputs = BatchInputs.folder(IMAGES, root);
    assertEquals(1, inputs.estimatedCount());
    assertEquals(List.of("sub/a.png"), ids(all(inputs)));
  }

  @Test
  void aVolumeTaskGetsOneItemPerSeriesFolderAndPerNiftiFile() {
    Path root = dir.resolve("scans");
    Path series = Models.ctSeries(root.resolve("case1"), 3, 7).get(0);
    Models.nifti(root.resolve("case2.nii.gz"), 8, 6, 4, Affine.identity(), 3);
    Models.png(root.resolve("ignored.png"), 1);
    String uid = DicomReader.readFile(series).dataSet().getString(Tags.SERIES_INSTANCE_UID);

    List<BatchItem> items = all(BatchInputs.folder(VOLUMES, root));
    assertEquals(List.of("case2.nii.gz", "case1#series=" + uid), ids(items));
    assertInstanceOf(PredictionInput.Scan.class, items.get(1).input());
    assertEquals(3, ((PredictionInput.Scan) items.get(1).input()).series().images().size());
  }

  @Test
  void aManifestNamesFilesRelativeToItselfAndMissingOnesBecomeErrorItems() throws IOException {
    Path data = dir.resolve("data");
    Models.png(data.resolve("x.png"), 1);
    Models.png(data.resolve("sub").resolve("y.png"), 2);
    Path csv = data.resolve("manifest.csv");
    Files.writeString(csv, "label,path\nA,x.png\nB,sub/y.png\nC,missing.png\nD,\"\"\n");

    List<BatchItem> items = all(BatchInputs.of(IMAGES, csv));
    assertEquals(List.of("x.png", "sub/y.png", "missing.png", "manifest.csv line 5"), ids(items));
    assertTrue(items.get(2).isError());
    assertTrue(items.get(2).error().contains("not found"), items.get(2).error());
    assertTrue(items.get(3).isError());
    assertEquals(data.resolve("sub/y.png").toString(), items.get(1).path());
  }

  @Test
  void aManifestWithoutAPathColumnIsRefusedNamingItsHeader() throws IOException {
    Path csv = dir.resolve("m.csv");
    Files.writeString(csv, "file,label\na.png,1\n");
    MedvisionException e = assertThrows(MedvisionException.class, () -> BatchInputs.of(IMAGES, csv));
    assertTrue(e.getMessage().contains("no 'path' column") && e.getMessage().contains("[file, label]"),
        e.getMessage());
    MedvisionException notThere = assertThrows(MedvisionException.class,
        () -> BatchInputs.of(IMAGES, dir.resolve("nope")));
    assertTrue(notThere.getMessage().contains("does not exist"), notThere.getMessage());
  }

  @Test
  void expandingOneFileGivesItsInputsOrOneErrorItem() throws IOException {
    Path png = Models.png(dir.resolve("one.png"), 1);
    assertEquals(List.of("s3a://b/one.png"), BatchInputs.expand(IMAGES, png, "s3a://b/one.png", "s3a://b/one.png")
        .stream().map(BatchItem::inputId).toList());
    Path garbage = dir.resolve("g.dcm");
    Files.write(garbage, new byte[200]);
    List<BatchItem> bad = BatchInputs.expand(IMAGES, garbage, "g.dcm", "g.dcm");
    assertEquals(1, bad.size());
    assertTrue(bad.get(0).isError(), bad.toString());
  }

  @Test
  void aFolderOfVolumesGivenToA2dTaskReadsOneVolumeAtATime() {
    Path root = dir.resolve("volumes");
    for (int v = 0; v < 3; v++) {
      Models.nifti(root.resolve("v" + v + ".nii.gz"), 8, 6, 4, Affine.identity(), v + 1);
    }
    BatchInputs inputs = BatchInputs.folder(IMAGES, root);
    assertEquals("v0.nii.gz#slice=1", inputs.next().inputId());
    // Read so far: the first volume (4 slices); the other two are still one unit each, unread.
    assertEquals(4 + 2, inputs.estimatedCount());
    List<BatchItem> rest = all(inputs);
    assertEquals(11, rest.size());
    assertEquals("v2.nii.gz#slice=4", rest.get(10).inputId());
    assertEquals(12, inputs.estimatedCount());
  }

  @Test
  void aFolderThatCannotBeListedIsOneErrorItemAndTheWalkGoesOn() throws IOException {
    Path root = dir.resolve("in");
    Models.png(root.resolve("a.png"), 1);
    Models.png(root.resolve("gone").resolve("b.png"), 2);
    Models.png(root.resolve("z").resolve("c.png"), 3);
    BatchInputs inputs = BatchInputs.folder(IMAGES, root);
    assertEquals("a.png", inputs.next().inputId());
    // Gone between the listing of its parent and its own (as on a share that drops a folder, or one not readable).
    Files.delete(root.resolve("gone").resolve("b.png"));
    Files.delete(root.resolve("gone"));
    List<BatchItem> rest = all(inputs);
    assertEquals(List.of("gone", "z/c.png"), ids(rest));
    assertTrue(rest.get(0).isError());
    assertTrue(rest.get(0).error().contains("cannot list input folder") && rest.get(0).error().contains("gone"),
        rest.get(0).error());
  }

  @Test
  void aManifestRowNamingAFolderIsWalkedUnderTheRowsId() throws IOException {
    Path data = dir.resolve("data");
    Models.png(data.resolve("site").resolve("a.png"), 1);
    Models.png(data.resolve("site").resolve("deeper").resolve("b.png"), 2);
    Models.png(data.resolve("x.png"), 3);
    Path csv = data.resolve("manifest.csv");
    Files.writeString(csv, "path\nsite\nx.png\n");
    BatchInputs inputs = BatchInputs.of(IMAGES, csv);
    assertEquals(2, inputs.estimatedCount(), "one per row before any is expanded");
    assertEquals("site/a.png", inputs.next().inputId());
    assertEquals(3, inputs.estimatedCount(), "the folder row counted by its files once it is walked");
    assertEquals(List.of("site/deeper/b.png", "x.png"), ids(all(inputs)));
  }

  @Test
  void theJobsOwnOutputFolderInsideTheInputIsPassedOver() {
    Path root = dir.resolve("in");
    Models.png(root.resolve("a.png"), 1);
    Models.png(root.resolve("preds").resolve("maps").resolve("overlay.png"), 2);
    BatchInputs inputs = BatchInputs.folder(IMAGES, root);
    inputs.passOver(root.resolve("preds"));
    assertEquals(1, inputs.estimatedCount());
    assertEquals(List.of("a.png"), ids(all(inputs)));
  }
}
