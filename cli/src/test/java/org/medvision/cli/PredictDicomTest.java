package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.task.Task;
import org.medvision.api.tensor.Tensor;
import org.medvision.api.weights.Safetensors;
import org.medvision.api.weights.Weights;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomReader;
import org.medvision.dicom.Tags;
import org.medvision.dicom.Uids;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.image.ImagePreprocessor;
import org.medvision.testkit.ReferenceInterpreter;
import org.medvision.testkit.fixtures.TestData;

class PredictDicomTest {
  // Looked up inside each test, never in a static initialiser: absent data must skip the test, not fail the class.
  private static Path ct() {
    return TestData.pydicomTestFiles().resolve("CT_small.dcm");
  }

  @TempDir Path dir;

  private String[] args(Path weights, String... rest) {
    List<String> a = new ArrayList<>(List.of("predict", "--task", "strokenext", "--variant", "atto", "--subtask",
        "3class", "--weights", weights.toString(), "--image-size", String.valueOf(Fixtures.SIZE), "--engine", "onnx",
        "--device", "cpu"));
    a.addAll(List.of(rest));
    return a.toArray(new String[0]);
  }

  /** Probabilities by the reference interpreter on the slice windowed 40/80 by hand: clamp((HU - 0) / 80, 0, 1). */
  private static double[] reference(Task task, Weights weights) {
    float[] hu = DicomImage.read(ct()).frame(1);
    float[] windowed = new float[hu.length];
    for (int i = 0; i < hu.length; i++) {
      windowed[i] = (float) Math.max(0, Math.min(1, hu[i] / 80.0));
    }
    Tensor x = ImagePreprocessor.batch(List.of(new ImagePreprocessor(PredictCommandTest.imagePreprocessing(task))
        .apply(Tensor.ofFloats(windowed, 1, 128, 128))));
    float[] logits = ReferenceInterpreter.run(task.graph(), weights.fitTo(task.graph()),
        Map.of("image1", x, "image2", x)).get("logits").toFloatArray();
    double sum = 0;
    double[] e = new double[logits.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = Math.exp(logits[i]);
      sum += e[i];
    }
    for (int i = 0; i < e.length; i++) {
      e[i] /= sum;
    }
    return e;
  }

  @Test
  void studyFolderIsClassifiedWithTheBrainWindowAndWritesSrAndSc() throws IOException, InterruptedException {
    Task task = Fixtures.atto("3class");
    Path weights = Fixtures.weights(dir, "w.safetensors", task, 5);
    Path study = Files.createDirectories(dir.resolve("study"));
    Files.copy(ct(), study.resolve("ct.dcm"));
    Files.writeString(study.resolve("notes.txt"), "not an image");
    Path out = dir.resolve("out");
    Cli.Result r = Cli.run(args(weights, "--input", study.toString(), "--json", "--write-sr", out.toString(),
        "--write-sc", out.toString()));
    assertEquals(ExitCodes.OK, r.code(), r.toString());
    JsonObject json = JsonParser.parseString(r.out()).getAsJsonObject();
    assertEquals("40/80", json.getAsJsonObject("provenance").get("window").getAsString(), "the task's window");
    JsonArray predictions = json.getAsJsonArray("predictions");
    assertEquals(1, predictions.size());
    double[] expected = reference(task, Safetensors.read(weights));
    JsonObject p = predictions.get(0).getAsJsonObject().getAsJsonObject("logits").getAsJsonObject("probabilities");
    List<String> labels = List.of("normal", "ischemic", "hemorrhagic");
    for (int i = 0; i < 3; i++) {
      assertEquals(expected[i], p.get(labels.get(i)).getAsDouble(), 1e-4, labels.get(i));
    }

    String sop = DicomReader.readFile(ct()).dataSet().getString(Tags.SOP_INSTANCE_UID);
    DataSet sr = DicomReader.readFile(out.resolve("SR_" + sop + ".dcm")).dataSet();
    assertEquals(Uids.COMPREHENSIVE_SR_STORAGE, sr.getString(Tags.SOP_CLASS_UID));
    assertEquals(DicomReader.readFile(ct()).dataSet().getString(Tags.STUDY_INSTANCE_UID),
        sr.getString(Tags.STUDY_INSTANCE_UID));
    DataSet sc = DicomReader.readFile(out.resolve("SC_" + sop + ".dcm")).dataSet();
    assertEquals(128, sc.getInt(Tags.ROWS));
    assertEquals(3, sc.getInt(Tags.SAMPLES_PER_PIXEL));
    assertEquals(sop, sc.sequence(Tags.SOURCE_IMAGE_SEQUENCE).get(0).getString(Tags.REFERENCED_SOP_INSTANCE_UID));
    // The peer validator must find no errors in what we wrote (it exits 1 on errors).
    for (String name : List.of("SR_" + sop + ".dcm", "SC_" + sop + ".dcm")) {
      Process v = new ProcessBuilder(TestData.tool("dciodvfy").toString(), out.resolve(name).toString())
          .redirectErrorStream(true).start();
      String report = new String(v.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(0, v.waitFor(), name + "\n" + report);
      assertTrue(!report.contains("Error"), name + "\n" + report);
    }
  }

  @Test
  void windowOptionsAndInputErrors() throws IOException {
    Task task = Fixtures.atto("3class");
    Path weights = Fixtures.weights(dir, "w.safetensors", task, 5);
    Cli.Result custom = Cli.run(args(weights, "--input", ct().toString(), "--window", "-600/1500", "--json"));
    assertEquals(ExitCodes.OK, custom.code(), custom.toString());
    assertTrue(custom.out().contains("\"window\": \"-600/1500\""), custom.out());
    Cli.Result bad = Cli.run(args(weights, "--input", ct().toString(), "--window", "sideways"));
    assertEquals(ExitCodes.USAGE_ERROR, bad.code(), bad.toString());
    assertTrue(bad.err().contains("brain"), bad.err());
    // One rule per input, whichever way it is passed: the task's window, not the file's own.
    Cli.Result positional = Cli.run(args(weights, "--json", ct().toString()));
    Cli.Result viaInput = Cli.run(args(weights, "--json", "--input", ct().toString()));
    assertEquals(ExitCodes.OK, positional.code(), positional.toString());
    assertEquals(probabilities(viaInput), probabilities(positional), "the same file passed either way");
    Cli.Result missing = Cli.run(args(weights, "--input", dir.resolve("none").toString()));
    assertEquals(ExitCodes.RUNTIME_ERROR, missing.code(), missing.toString());
    assertTrue(missing.err().contains("none"), missing.err());
    Files.writeString(dir.resolve("a.txt"), "x");
    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("a.txt"), "x");
    Cli.Result noDicom = Cli.run(args(weights, "--input", empty.toString()));
    assertEquals(ExitCodes.RUNTIME_ERROR, noDicom.code(), noDicom.toString());
    assertTrue(noDicom.err().contains("no DICOM images found"), noDicom.err());
  }

  private static JsonObject probabilities(Cli.Result r) {
    return JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("predictions").get(0).getAsJsonObject()
        .getAsJsonObject("logits").getAsJsonObject("probabilities");
  }

  @Test
  void niftiSlicesAreClassifiedLikeTheDicomTheyCameFrom() throws IOException {
    Task task = Fixtures.atto("3class");
    Path weights = Fixtures.weights(dir, "w.safetensors", task, 5);
    Path nifti = dir.resolve("ct.nii.gz");
    assertEquals(ExitCodes.OK, Cli.run("dicom", "volume", ct().toString(), "--out", nifti.toString()).code());
    Cli.Result fromNifti = Cli.run(args(weights, "--input", nifti.toString(), "--json"));
    assertEquals(ExitCodes.OK, fromNifti.code(), fromNifti.toString());
    JsonObject p = JsonParser.parseString(fromNifti.out()).getAsJsonObject().getAsJsonArray("predictions").get(0)
        .getAsJsonObject().getAsJsonObject("logits").getAsJsonObject("probabilities");
    double[] expected = reference(task, Safetensors.read(weights));
    List<String> labels = List.of("normal", "ischemic", "hemorrhagic");
    for (int i = 0; i < 3; i++) {
      assertEquals(expected[i], p.get(labels.get(i)).getAsDouble(), 1e-4, labels.get(i));
    }
  }
}
