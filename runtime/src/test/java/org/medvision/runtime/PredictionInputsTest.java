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
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.DicomWriter;
import org.medvision.dicom.Tags;
import org.medvision.dicom.VR;
import org.medvision.io.ProgressListener;
import org.medvision.io.volume.Affine;

class PredictionInputsTest {
  private static final DataSchema IMAGES = Models.atto("3class").data();
  private static final DataSchema VOLUMES = Models.tinyVolume("narrow").data();

  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();

  private List<PredictionInput> collect(DataSchema schema, Path... paths) {
    return PredictionInputs.collect(schema, List.of(paths), warnings::add, ProgressListener.NONE);
  }

  private static String sop(Path file) {
    return DicomReader.readFile(file).dataSet().getString(Tags.SOP_INSTANCE_UID);
  }

  @Test
  void aFolderOfImagesGivesEveryImageInPathOrderAndSkipsOtherFiles() throws IOException {
    Path folder = dir.resolve("pngs");
    Path b = Models.png(folder.resolve("b.png"), 1);
    Path a = Models.png(folder.resolve("a.png"), 2);
    Path c = Models.png(folder.resolve("sub").resolve("c.png"), 3);
    Models.png(folder.resolve(".hidden.png"), 4);
    Files.writeString(folder.resolve("notes.txt"), "not an image");

    List<PredictionInput> inputs = collect(IMAGES, folder);
    assertEquals(List.of(a, b, c), inputs.stream().map(i -> ((PredictionInput.ImageFile) i).file()).toList());
    inputs.forEach(i -> assertNull(((PredictionInput.ImageFile) i).dicom(), i.label()));
    assertTrue(inputs.get(0).dicomSources().isEmpty());
    assertEquals(a.toString(), inputs.get(0).label());
    assertEquals(List.of(), warnings);
  }

  @Test
  void aDicomFileGivenDirectlyIsOneImageReferringToItself() {
    Path file = Models.ctSeries(dir.resolve("one"), 1, 1).get(0);
    List<PredictionInput> inputs = collect(IMAGES, file);
    assertEquals(1, inputs.size());
    PredictionInput.ImageFile image = assertInstanceOf(PredictionInput.ImageFile.class, inputs.get(0));
    assertEquals(file, image.file());
    assertNotNull(image.dicom());
    assertEquals(sop(file), image.dicomSources().get(0).dataSet().getString(Tags.SOP_INSTANCE_UID));
  }

  @Test
  void aDicomObjectWithoutAnImageIsPassedOverWithANoteNotAWarning() {
    Path study = dir.resolve("study");
    Models.ctSeries(study.resolve("ct"), 2, 1);
    DataSet report = new DataSet();
    report.setString(Tags.SOP_CLASS_UID, VR.UI, "1.2.840.10008.5.1.4.1.1.88.33");
    report.setString(Tags.SOP_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.77.1");
    report.setString(Tags.STUDY_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.77");
    report.setString(Tags.SERIES_INSTANCE_UID, VR.UI, "1.2.826.0.1.3680043.10.1.77.2");
    report.setString(Tags.MODALITY, VR.CS, "SR");
    Path sr = study.resolve("report.dcm");
    DicomWriter.writeFile(sr, report);
    List<String> notes = new ArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void progress(long done, long total) {}

      @Override
      public void note(String message) {
        notes.add(message);
      }
    };
    PredictionInputs.Collected found = PredictionInputs.scan(IMAGES, List.of(study), listener);
    assertEquals(2, found.inputs().size());
    assertEquals(List.of(), found.skipped(), "a report beside the images is not an unreadable file");
    assertEquals(1, notes.size(), notes.toString());
    assertTrue(notes.get(0).startsWith("passed over 1 DICOM object without an image: " + sr + " (SR: "),
        notes.get(0));
  }

  @Test
  void aSeriesFolderIsOneImagePerSliceForImageTasksAndOneScanForVolumeTasks() {
    Path series = dir.resolve("series");
    List<Path> files = Models.ctSeries(series, 3, 2);

    List<PredictionInput> slices = collect(IMAGES, series);
    assertEquals(3, slices.size());
    for (int i = 0; i < 3; i++) {
      PredictionInput.DicomFrame frame = assertInstanceOf(PredictionInput.DicomFrame.class, slices.get(i));
      assertEquals(1, frame.frame());
      assertEquals(sop(files.get(i)), frame.image().dataSet().getString(Tags.SOP_INSTANCE_UID), "slice " + i);
    }

    List<PredictionInput> scans = collect(VOLUMES, series);
    assertEquals(1, scans.size());
    PredictionInput.Scan scan = assertInstanceOf(PredictionInput.Scan.class, scans.get(0));
    assertEquals(series, scan.path());
    assertEquals(3, scan.series().images().size());
    assertEquals(3, scan.dicomSources().size());
    String uid = DicomReader.readFile(files.get(0)).dataSet().getString(Tags.SERIES_INSTANCE_UID);
    assertTrue(scan.label().contains(series + " series " + uid), scan.label());
  }

  @Test
  void aNiftiFileIsOneImagePerSliceForImageTasksAndOneScanForVolumeTasks() {
    Path nifti = Models.nifti(dir.resolve("ct.nii.gz"), 6, 5, 4, Affine.diagonal(0.8, 0.8, 2.5, 0, 0, 0), 3);
    List<PredictionInput> slices = collect(IMAGES, nifti);
    assertEquals(4, slices.size());
    for (int z = 0; z < 4; z++) {
      PredictionInput.NiftiSlice slice = assertInstanceOf(PredictionInput.NiftiSlice.class, slices.get(z));
      assertEquals(z, slice.z());
      assertEquals(nifti + " slice " + (z + 1), slice.label());
    }
    List<PredictionInput> scans = collect(VOLUMES, nifti);
    assertEquals(1, scans.size());
    PredictionInput.Scan scan = assertInstanceOf(PredictionInput.Scan.class, scans.get(0));
    assertNull(scan.series());
    assertEquals(nifti.toString(), scan.label());
    assertTrue(scan.dicomSources().isEmpty());
  }

  @Test
  void inputsComeInTheOrderTheyWereGiven() {
    Path png = Models.png(dir.resolve("z.png"), 1);
    Path dicom = Models.ctSeries(dir.resolve("one"), 1, 1).get(0);
    Path nifti = Models.nifti(dir.resolve("a.nii"), 4, 4, 2, Affine.identity(), 1);
    List<PredictionInput> inputs = collect(IMAGES, png, dicom, nifti);
    assertEquals(4, inputs.size());
    assertEquals(png, ((PredictionInput.ImageFile) inputs.get(0)).file());
    assertEquals(dicom, ((PredictionInput.ImageFile) inputs.get(1)).file());
    assertEquals(nifti, ((PredictionInput.NiftiSlice) inputs.get(2)).file());
  }

  @Test
  void aMissingPathIsNamed() {
    Path missing = dir.resolve("nowhere").resolve("ct.dcm");
    MedvisionException e = assertThrows(MedvisionException.class, () -> collect(IMAGES, missing));
    assertEquals("input not found: " + missing, e.getMessage());
  }

  @Test
  void aFolderOfNiftiVolumesBesideADicomSeriesGivesThemAll() throws IOException {
    Path study = Files.createDirectories(dir.resolve("study"));
    Path a = Models.nifti(study.resolve("a.nii.gz"), 6, 5, 3, Affine.identity(), 1);
    Path b = Models.nifti(study.resolve("nested").resolve("b.nii"), 4, 4, 2, Affine.identity(), 2);
    Models.ctSeries(study.resolve("series"), 3, 4);
    List<PredictionInput> scans = collect(VOLUMES, study);
    assertEquals(3, scans.size(), "two NIfTI volumes and one DICOM series");
    assertEquals(a.toString(), scans.get(0).label());
    assertEquals(b.toString(), scans.get(1).label());
    assertInstanceOf(PredictionInput.Scan.class, scans.get(2));
    assertEquals(3 + 2 + 3, collect(IMAGES, study).size(), "for a 2-D task every slice of each");
  }

  @Test
  void whatHoldsNothingToPredictIsNamed() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.txt"), "not a scan");
    MedvisionException notAScan = assertThrows(MedvisionException.class, () -> collect(VOLUMES, text));
    assertTrue(notAScan.getMessage().contains("no DICOM images found in " + text), notAScan.getMessage());

    Path folder = Files.createDirectories(dir.resolve("documents"));
    Files.writeString(folder.resolve("report.txt"), "no images here");
    MedvisionException noImages = assertThrows(MedvisionException.class, () -> collect(IMAGES, folder));
    assertTrue(noImages.getMessage().contains("no DICOM images found in " + folder), noImages.getMessage());

    MedvisionException nothing = assertThrows(MedvisionException.class, () -> collect(IMAGES));
    assertEquals("nothing to predict: no inputs were given", nothing.getMessage());
  }

  @Test
  void anUnreadableDicomFileBesideImagesIsSkippedWithAWarning() throws IOException {
    Path folder = dir.resolve("study");
    Path png = Models.png(folder.resolve("a.png"), 1);
    Path broken = folder.resolve("broken.dcm");
    byte[] head = new byte[200];
    head[128] = 'D';
    head[129] = 'I';
    head[130] = 'C';
    head[131] = 'M';
    Files.write(broken, head);
    List<PredictionInput> inputs = collect(IMAGES, folder);
    assertEquals(1, inputs.size());
    assertEquals(png, ((PredictionInput.ImageFile) inputs.get(0)).file());
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("skipped unreadable file") && warnings.get(0).contains(broken.toString()),
        warnings.get(0));
  }
}
