package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;

/**
 * A small data set in the published layout of NIH ChestX-ray14, written at test time: {@code Data_Entry_2017.csv}
 * with the published header (bracketed columns, trailing comma) and rows in the published form, the split lists, and
 * tiny grey PNGs named as the real ones in the {@code images_001/images/} and {@code images_002/images/} folders the
 * archives unpack to. The schema is the one the chest X-ray task declares.
 */
final class ChestXray14Fixture {
  /** The chest X-ray task's schema: a grey image on column {@code path}, the 14 findings on {@code labels}. */
  static final DataSchema SCHEMA = schema(8, 8);

  /**
   * The rows, as the published file writes them. Patients 1 to 9 are in train_val, 10 to 12 in test; patient 3's
   * Hernia and patient 9's Pleural_Thickening make rare labels.
   */
  static final List<String> ROWS = List.of(
      "00000001_000.png,Cardiomegaly,0,1,58,M,PA,2682,2749,0.143,0.143,",
      "00000001_001.png,Cardiomegaly|Emphysema,1,1,58,M,PA,2894,2729,0.143,0.143,",
      "00000001_002.png,Cardiomegaly|Effusion,2,1,58,M,PA,2500,2048,0.168,0.168,",
      "00000002_000.png,No Finding,0,2,81,M,PA,2500,2048,0.171,0.171,",
      "00000003_000.png,Hernia,0,3,81,F,PA,2582,2991,0.143,0.143,",
      "00000003_001.png,Hernia,1,3,74,F,PA,2500,2048,0.168,0.168,",
      "00000004_000.png,Mass|Nodule,0,4,82,M,AP,2500,2048,0.168,0.168,",
      "00000005_000.png,No Finding,0,5,69,F,PA,2048,2500,0.168,0.168,",
      "00000005_001.png,Atelectasis|Infiltration,1,5,69,F,AP,2048,2500,0.168,0.168,",
      "00000006_000.png,Infiltration,0,6,61,M,PA,2992,2991,0.143,0.143,",
      "00000007_000.png,Pneumothorax,0,7,44,M,PA,2500,2048,0.168,0.168,",
      "00000008_000.png,Consolidation|Pneumonia,0,8,30,F,AP,3056,2544,0.139,0.139,",
      "00000009_000.png,Edema|Fibrosis|Pleural_Thickening,0,9,77,M,PA,2500,2048,0.168,0.168,",
      "00000010_000.png,Effusion|Infiltration,0,10,55,F,PA,2021,2021,0.194,0.194,",
      "00000010_001.png,No Finding,1,10,55,F,PA,2021,2021,0.194,0.194,",
      "00000011_000.png,Nodule,0,11,40,M,PA,2500,2048,0.168,0.168,",
      "00000012_000.png,Atelectasis,0,12,66,F,AP,2500,2048,0.168,0.168,");

  /** The patients in the test list. */
  static final Set<String> TEST_PATIENTS = Set.of("10", "11", "12");

  private ChestXray14Fixture() {}

  /** The schema with an image of {@code height x width} pixels. */
  static DataSchema schema(int height, int width) {
    return new DataSchema(List.of(
        ImageField.of("image", "path", new ImagePreprocessing(1, height, width, new float[] {0}, new float[] {1}),
            Windowing.file()),
        new LabelField("labels", "labels", ChestXray14.FINDINGS, Map.of(), Set.of("No Finding"), true, "|")),
        Map.of("image", "image"), "");
  }

  /** The image name of a row. */
  static String name(String row) {
    return row.substring(0, row.indexOf(','));
  }

  /** The patient of a row. */
  static String patient(String row) {
    return row.split(",", -1)[3];
  }

  /**
   * Writes the set into {@code root}: the first 8 images in {@code images_001/images/}, the rest in
   * {@code images_002/images/}, every image 8 x 8 with a grey level of its own.
   */
  static Path write(Path root) throws IOException {
    writeEntries(root, ROWS);
    List<String> trainVal = new ArrayList<>();
    List<String> test = new ArrayList<>();
    for (int i = 0; i < ROWS.size(); i++) {
      String name = name(ROWS.get(i));
      Path folder = root.resolve(i < 8 ? "images_001/images" : "images_002/images");
      int level = 10 + 13 * i;
      TestFiles.png(folder.resolve(name), 8, 8, (x, y) -> level);
      (TEST_PATIENTS.contains(patient(ROWS.get(i))) ? test : trainVal).add(name);
    }
    writeList(root.resolve(ChestXray14.TRAIN_VAL_LIST), trainVal);
    writeList(root.resolve(ChestXray14.TEST_LIST), test);
    return root;
  }

  /** Writes {@code Data_Entry_2017.csv} with the published header and {@code rows}. */
  static void writeEntries(Path root, List<String> rows) throws IOException {
    Files.createDirectories(root);
    StringBuilder sb = new StringBuilder(ChestXray14.HEADER).append('\n');
    rows.forEach(r -> sb.append(r).append('\n'));
    Files.writeString(root.resolve(ChestXray14.DATA_ENTRY), sb.toString(), StandardCharsets.UTF_8);
  }

  /** Writes a split list, one name per line. */
  static void writeList(Path file, List<String> names) throws IOException {
    Files.writeString(file, String.join("\n", names) + "\n", StandardCharsets.UTF_8);
  }
}
