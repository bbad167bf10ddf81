package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.ProgressListener;

/**
 * Reads a folder in the layout of NIH ChestX-ray14 (Wang et al., CVPR 2017): {@value #DATA_ENTRY} with one row per
 * image, the official split files {@value #TRAIN_VAL_LIST} and {@value #TEST_LIST}, and the PNG images, in
 * {@code images/}, the folder itself, or the {@code images_001/images/} to {@code images_012/images/} folders the
 * published archives unpack to.
 *
 * <p>It serves any task whose schema has one image field and one multi-label field (see {@link #fits}): the image
 * column gets the image file's absolute path, the label column the row's {@value #FINDING_LABELS} (labels joined by
 * {@code |}, {@code No Finding} for none), the patient comes from {@value #PATIENT_ID}. Every published column stays
 * available as a cell under its published name ({@value #FOLLOW_UP}, {@value #PATIENT_AGE}, ...), and any other field
 * of the schema reads the column whose name matches its own (case, spaces and {@code _} ignored).
 *
 * <p>Splits: with both list files, {@value #TEST_LIST} is the test split and {@value #TRAIN_VAL_LIST} is cut by patient
 * into training and {@value #VAL_FRACTION} validation with the split seed (see {@link MultiLabels#split}); rows in
 * neither list are left out, with a note. A patient in both lists is a warning (the official split has none). Without
 * the list files the rows are split 80/10/10 by patient, with a note.
 */
public final class ChestXray14 {
  /** The data-entry file that marks the layout. */
  public static final String DATA_ENTRY = "Data_Entry_2017.csv";
  /** The official training-and-validation list. */
  public static final String TRAIN_VAL_LIST = "train_val_list.txt";
  /** The official test list. */
  public static final String TEST_LIST = "test_list.txt";
  /** Column: the image file name, e.g. {@code 00000001_000.png}. */
  public static final String IMAGE_INDEX = "Image Index";
  /** Column: the findings, {@code |}-separated, or {@code No Finding}. */
  public static final String FINDING_LABELS = "Finding Labels";
  /** Column: the patient's image number, 0 for the first. */
  public static final String FOLLOW_UP = "Follow-up #";
  /** Column: the patient number. */
  public static final String PATIENT_ID = "Patient ID";
  /** Column: age in years. */
  public static final String PATIENT_AGE = "Patient Age";
  /** Column: {@code M} or {@code F}. */
  public static final String PATIENT_GENDER = "Patient Gender";
  /** Column: {@code PA} or {@code AP}. */
  public static final String VIEW_POSITION = "View Position";
  /** Column: the original width in pixels (the published name is cut at the comma of {@code [Width,Height]}). */
  public static final String ORIGINAL_WIDTH = "OriginalImage[Width";
  /** Column: the original height in pixels. */
  public static final String ORIGINAL_HEIGHT = "Height]";
  /** Column: the original horizontal pixel spacing in mm. */
  public static final String PIXEL_SPACING_X = "OriginalImagePixelSpacing[x";
  /** Column: the original vertical pixel spacing in mm. */
  public static final String PIXEL_SPACING_Y = "y]";
  /** The published columns, in order. */
  public static final List<String> COLUMNS = List.of(IMAGE_INDEX, FINDING_LABELS, FOLLOW_UP, PATIENT_ID, PATIENT_AGE,
      PATIENT_GENDER, VIEW_POSITION, ORIGINAL_WIDTH, ORIGINAL_HEIGHT, PIXEL_SPACING_X, PIXEL_SPACING_Y);
  /** The published header line, trailing comma included. */
  public static final String HEADER = String.join(",", COLUMNS) + ",";
  /** The 14 findings, written as the data set writes them. */
  public static final List<String> FINDINGS = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration",
      "Mass", "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis",
      "Pleural_Thickening", "Hernia");
  /** The label of an image without findings. */
  public static final String NO_FINDING = "No Finding";
  /** Share of the training-and-validation patients put into validation. */
  public static final double VAL_FRACTION = 0.1;

  private static final int MAX_LISTED = 10;

  private ChestXray14() {}

  /**
   * The rows read.
   *
   * @param folder the data-set folder, absolute
   * @param rows the used rows, in {@value #DATA_ENTRY} order, each with its split
   * @param sha256 SHA-256 of a {@code sha256sum}-style listing of the data-entry file and the list files that exist
   *     ({@code <hex>  <name>} lines, in the order data entry, train_val, test), so it changes when any of them does
   */
  public record Read(Path folder, List<Sample> rows, String sha256) {
    /** Copies the rows. */
    public Read {
      rows = List.copyOf(rows);
    }
  }

  /** Whether {@code data} is a folder holding {@value #DATA_ENTRY}, or that file itself. */
  public static boolean isLayout(Path data) {
    return Files.isDirectory(data) ? Files.isRegularFile(data.resolve(DATA_ENTRY))
        : Files.isRegularFile(data) && data.getFileName().toString().equals(DATA_ENTRY);
  }

  /** Whether a task with {@code schema} can read this layout: one image field and one multi-label field. */
  public static boolean fits(DataSchema schema) {
    return schema.fields(ImageField.class).size() == 1 && MultiLabels.of(schema).isPresent();
  }

  /**
   * Reads the data set in {@code data} (the folder or its {@value #DATA_ENTRY}) for {@code schema}.
   *
   * @param splitSeed seed of the validation cut (or of the whole split without list files)
   * @param progress told the notes and warnings
   * @throws DatasetException naming the file and line for a schema that does not fit, a malformed
   *     {@value #DATA_ENTRY} row, an unknown label (listing the known ones), a listed image missing from the CSV or
   *     from disk, an image in both lists, one list without the other, or an empty split
   */
  public static Read read(Path data, DataSchema schema, long splitSeed, ProgressListener progress) {
    Path folder = (Files.isDirectory(data) ? data : data.getParent()).toAbsolutePath().normalize();
    Path csv = folder.resolve(DATA_ENTRY);
    if (!fits(schema)) {
      throw new DatasetException("data " + folder + " is in the ChestX-ray14 layout (" + DATA_ENTRY + "), which "
          + "gives each example one image and a multi-label field; this task's examples have fields "
          + schema.fields().stream().map(Field::name).toList() + ", so give a manifest CSV instead");
    }
    ImageField image = schema.fields(ImageField.class).get(0);
    LabelField labels = MultiLabels.of(schema).orElseThrow();
    List<DataEntryCsv.Entry> entries = DataEntryCsv.read(csv);
    Map<String, String> extra = otherColumns(schema, image, labels, entries.get(0).cells().keySet(), csv);
    ImageFolders.Index images = ImageFolders.index(folder);
    Map<String, Sample> byName = new LinkedHashMap<>();
    for (DataEntryCsv.Entry e : entries) {
      byName.put(e.imageIndex(), sample(e, folder, csv, images, image, labels, extra));
    }
    List<Sample> all = new ArrayList<>(byName.values());
    MultiLabels.check(all, labels, FINDING_LABELS);
    Path trainVal = folder.resolve(TRAIN_VAL_LIST);
    Path test = folder.resolve(TEST_LIST);
    List<Path> lists = new ArrayList<>();
    List<Sample> rows;
    if (Files.isRegularFile(trainVal) != Files.isRegularFile(test)) {
      Path present = Files.isRegularFile(trainVal) ? trainVal : test;
      throw new DatasetException("data " + folder + " has " + present.getFileName() + " but not "
          + (present == trainVal ? TEST_LIST : TRAIN_VAL_LIST) + "; give both (the official split) or neither (a "
          + "split by patient with the seed)");
    } else if (Files.isRegularFile(trainVal)) {
      lists.add(trainVal);
      lists.add(test);
      rows = official(byName, trainVal, test, images, folder, labels, splitSeed, progress);
    } else {
      checkOnDisk(all, images, folder);
      progress.note("data " + folder + " has no " + TRAIN_VAL_LIST + " or " + TEST_LIST + "; split "
          + percent(TaskData.TRAIN_FRACTION) + "/" + percent(TaskData.VAL_FRACTION) + "/"
          + percent(TaskData.TEST_FRACTION) + " by patient with seed " + splitSeed);
      rows = MultiLabels.split(all, labels, splitSeed,
          new double[] {TaskData.TRAIN_FRACTION, TaskData.VAL_FRACTION, TaskData.TEST_FRACTION});
    }
    return new Read(folder, rows, sha256(csv, lists));
  }

  private static String percent(double share) {
    return Long.toString(Math.round(share * 100));
  }

  /** Schema column to data-entry column for the fields other than the image and labels. */
  private static Map<String, String> otherColumns(DataSchema schema, ImageField image, LabelField labels,
      Set<String> header, Path csv) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Field f : schema.fields()) {
      if (f == image || f == labels || f.column().isEmpty()) {
        continue;
      }
      String match = header.stream()
          .filter(h -> LabelField.canonical(h).equals(LabelField.canonical(f.column()))).findFirst().orElse(null);
      if (match != null) {
        out.put(f.column(), match);
      } else if (f.required()) {
        throw new DatasetException(csv + ": the task's field '" + f.name() + "' reads column '" + f.column()
            + "', which this file does not have; its columns: " + String.join(", ", header));
      }
    }
    return out;
  }

  private static Sample sample(DataEntryCsv.Entry e, Path folder, Path csv, ImageFolders.Index images,
      ImageField image, LabelField labels, Map<String, String> extra) {
    Map<String, String> values = new LinkedHashMap<>(e.cells());
    Path file = images.files().get(e.imageIndex());
    // An image not on disk keeps the path it would most likely have; rows using it are refused before they return.
    String path = (file != null ? file : folder.resolve("images").resolve(e.imageIndex())).toString();
    values.put(image.column(), path);
    values.put(labels.column(), e.cells().get(FINDING_LABELS));
    extra.forEach((column, published) -> {
      String cell = e.cells().get(published);
      if (cell != null && !cell.isEmpty()) {
        values.put(column, cell);
      }
    });
    return new Sample(path, values, "", e.patientId(), null, csv, e.line());
  }

  private static List<Sample> official(Map<String, Sample> byName, Path trainValFile, Path testFile,
      ImageFolders.Index images, Path folder, LabelField labels, long seed, ProgressListener progress) {
    Map<String, Integer> trainVal = SplitList.read(trainValFile);
    Map<String, Integer> test = SplitList.read(testFile);
    List<String> notInCsv = new ArrayList<>();
    int notInCsvCount = 0;
    List<String> missing = new ArrayList<>();
    int missingCount = 0;
    for (Path list : List.of(trainValFile, testFile)) {
      Map<String, Integer> names = list == trainValFile ? trainVal : test;
      for (Map.Entry<String, Integer> n : names.entrySet()) {
        String where = list.getFileName() + " line " + n.getValue() + ": " + n.getKey();
        if (list == testFile && trainVal.containsKey(n.getKey())) {
          throw new DatasetException(testFile + " line " + n.getValue() + ": " + n.getKey() + " is also in "
              + trainValFile.getFileName() + " line " + trainVal.get(n.getKey()) + "; an image has one split");
        }
        if (!byName.containsKey(n.getKey())) {
          notInCsvCount++;
          if (notInCsv.size() < MAX_LISTED) {
            notInCsv.add(where);
          }
        } else if (!images.files().containsKey(n.getKey())) {
          missingCount++;
          if (missing.size() < MAX_LISTED) {
            missing.add(where);
          }
        }
      }
    }
    if (notInCsvCount > 0) {
      throw new DatasetException(notInCsvCount + " image(s) in the split files of " + folder + " are not in "
          + DATA_ENTRY + ": " + String.join("; ", notInCsv) + more(notInCsvCount, notInCsv));
    }
    if (missingCount > 0) {
      throw missingImages(folder, images, missingCount, missing);
    }
    List<Sample> trainValRows = new ArrayList<>();
    List<Sample> rows = new ArrayList<>();
    Set<String> trainValPatients = new HashSet<>();
    Set<String> testPatients = new HashSet<>();
    int unlisted = 0;
    for (Map.Entry<String, Sample> e : byName.entrySet()) {
      Sample s = e.getValue();
      if (test.containsKey(e.getKey())) {
        rows.add(s.withSplit(Split.TEST));
        testPatients.add(s.patientId());
      } else if (trainVal.containsKey(e.getKey())) {
        rows.add(s);
        trainValRows.add(s);
        trainValPatients.add(s.patientId());
      } else {
        unlisted++;
      }
    }
    if (unlisted > 0) {
      progress.note(unlisted + " image(s) of " + DATA_ENTRY + " are in neither " + TRAIN_VAL_LIST + " nor " + TEST_LIST
          + " and are left out");
    }
    trainValPatients.retainAll(testPatients);
    if (!trainValPatients.isEmpty()) {
      progress.warning(trainValPatients.size() + " patient(s) have images in both " + TRAIN_VAL_LIST + " and "
          + TEST_LIST + " of " + folder + " (e.g. patient " + trainValPatients.stream().sorted().findFirst().get()
          + "), so the test split is not patient-disjoint from training; the official lists have none");
    }
    if (trainValRows.isEmpty() || rows.size() == trainValRows.size()) {
      throw new DatasetException("data " + folder + ": " + (trainValRows.isEmpty() ? TRAIN_VAL_LIST : TEST_LIST)
          + " lists no image");
    }
    Map<String, Split> carved = new HashMap<>();
    for (Sample s : MultiLabels.split(trainValRows, labels, seed, new double[] {1 - VAL_FRACTION, VAL_FRACTION, 0})) {
      carved.put(s.id(), s.split());
    }
    List<Sample> out = new ArrayList<>(rows.size());
    for (Sample s : rows) {
      out.add(s.split() != null ? s : s.withSplit(carved.get(s.id())));
    }
    return out;
  }

  private static void checkOnDisk(List<Sample> rows, ImageFolders.Index images, Path folder) {
    List<String> missing = new ArrayList<>();
    int count = 0;
    for (Sample s : rows) {
      String name = s.value(IMAGE_INDEX);
      if (!images.files().containsKey(name)) {
        count++;
        if (missing.size() < MAX_LISTED) {
          missing.add(DATA_ENTRY + " line " + s.line() + ": " + name);
        }
      }
    }
    if (count > 0) {
      throw missingImages(folder, images, count, missing);
    }
  }

  private static DatasetException missingImages(Path folder, ImageFolders.Index images, int count,
      List<String> listed) {
    return new DatasetException(count + " image(s) of " + folder + " are missing on disk (searched "
        + images.describe(folder) + "): " + String.join("; ", listed) + more(count, listed)
        + "; unpack every images_0NN archive, or remove the rows");
  }

  private static String more(int count, List<String> listed) {
    return count > listed.size() ? "; and " + (count - listed.size()) + " more" : "";
  }

  private static String sha256(Path csv, List<Path> lists) {
    StringBuilder listing = new StringBuilder();
    List<Path> files = new ArrayList<>();
    files.add(csv);
    files.addAll(lists);
    for (Path f : files) {
      listing.append(fileSha256(f)).append("  ").append(f.getFileName()).append('\n');
    }
    return WeightsDigest.sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String fileSha256(Path file) {
    try {
      return WeightsDigest.sha256(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
