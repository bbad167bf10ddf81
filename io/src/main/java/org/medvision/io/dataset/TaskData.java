package org.medvision.io.dataset;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.LabelField;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.ProgressListener;

/**
 * The rows of a task's data set, labelled and split into train, validation and test; nothing is decoded yet.
 *
 * <p>Rows come from a manifest CSV with the columns the task's schema declares, from a folder in the ChestX-ray14
 * layout ({@link ChestXray14}) for tasks whose examples are one image and a multi-label field, or from a folder with
 * one subfolder per class for tasks whose examples are one image and one class. Rows that carry a split keep it; the
 * others are assigned ({@link #TRAIN_FRACTION}/{@link #VAL_FRACTION}/{@link #TEST_FRACTION}) by patient where
 * patient ids exist: stratified by the schema's label field ({@link Splits#stratified}), where every split must hold
 * every class; or, for a multi-label field, by each patient's rarest label ({@link MultiLabels#split}), where a label
 * without positives in a split is a warning to {@code progress}. Derived attributes (e.g. an infection-to-lung volume
 * ratio) are computed once here, streaming one example's masks at a time, unless the manifest gives them.
 *
 * @param source the manifest file or the data-set folder, absolute
 * @param sha256 SHA-256 of the manifest's bytes, for a class-folder set of its listing ("class/path" lines in order),
 *     for ChestX-ray14 of its data-entry and split files ({@link ChestXray14.Read#sha256}), so a checkpoint records
 *     exactly which data it was trained on
 * @param schema the task's data schema
 * @param rows every used row, labelled and split
 * @param attributes the attribute values of every row (row order), by attribute name
 */
public record TaskData(Path source, String sha256, DataSchema schema, List<Sample> rows,
    Map<String, double[]> attributes) {
  /** Fraction of unassigned rows put into training. */
  public static final double TRAIN_FRACTION = 0.8;
  /** Fraction of unassigned rows put into validation. */
  public static final double VAL_FRACTION = 0.1;
  /** Fraction of unassigned rows put into testing. */
  public static final double TEST_FRACTION = 0.1;

  /** Copies the collections. */
  public TaskData {
    rows = List.copyOf(rows);
    attributes = Map.copyOf(attributes);
  }

  /**
   * Reads {@code data}, a manifest CSV or a data-set folder, for a task with {@code schema}.
   *
   * @param splitSeed seed of the stratified split of rows without a split
   * @param progress told about derived-attribute computation, which reads masks, and the notes and warnings of
   *     reading (how the split was made, labels without positives in a split, patients in two official splits)
   * @throws DatasetException naming the file and row for a missing file, an unknown label, an empty class, a split
   *     without examples, or a mask that cannot be read
   */
  public static TaskData load(Path data, DataSchema schema, long splitSeed, ProgressListener progress) {
    Path source = data.toAbsolutePath().normalize();
    Optional<LabelField> multi = MultiLabels.of(schema);
    if (ChestXray14.isLayout(source)) {
      ChestXray14.Read read = ChestXray14.read(source, schema, splitSeed, progress);
      MultiLabels.warnMissing(read.rows(), multi.orElseThrow(), progress);
      return new TaskData(read.folder(), read.sha256(), schema, read.rows(),
          Attributes.compute(schema, read.rows(), progress));
    }
    List<Sample> raw;
    String sha;
    if (Files.isDirectory(source)) {
      raw = FolderDataset.read(source, schema);
      StringBuilder listing = new StringBuilder();
      for (Sample s : raw) {
        listing.append(s.label()).append('/').append(source.relativize(Path.of(s.id()))).append('\n');
      }
      sha = WeightsDigest.sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      raw = Manifest.read(source, Columns.of(schema));
      sha = WeightsDigest.sha256(source);
    }
    List<Sample> split;
    if (multi.isPresent()) {
      MultiLabels.check(raw, multi.get(), multi.get().column());
      split = MultiLabels.split(unlabelled(raw), multi.get(), splitSeed,
          new double[] {TRAIN_FRACTION, VAL_FRACTION, TEST_FRACTION});
      MultiLabels.warnMissing(split, multi.get(), progress);
    } else {
      List<Sample> labelled = schema.labels().map(l -> Labels.apply(raw, l)).orElseGet(() -> unlabelled(raw));
      split = Splits.stratified(labelled, splitSeed, TRAIN_FRACTION, VAL_FRACTION, TEST_FRACTION);
    }
    return new TaskData(source, sha, schema, split, Attributes.compute(schema, split, progress));
  }

  private static List<Sample> unlabelled(List<Sample> rows) {
    List<Sample> out = new ArrayList<>(rows.size());
    rows.forEach(s -> out.add(s.withLabel("")));
    return out;
  }

  /** The class names of the stratification label, or empty. */
  public List<String> classes() {
    return schema.labels().map(l -> l.classes()).orElse(List.of());
  }

  /** Rows per split and class; for multi-label data, rows per split and label. */
  public ClassBalance balance() {
    Optional<LabelField> multi = MultiLabels.of(schema);
    if (multi.isPresent()) {
      return ClassBalance.ofLabels(rows, multi.get());
    }
    List<String> classes = classes().isEmpty() ? List.of("") : classes();
    return ClassBalance.of(rows, classes);
  }

  /**
   * The examples of {@code split}, in row order.
   *
   * @throws MedvisionException if the split is empty
   */
  public ExampleSet split(Split split) {
    List<Integer> indices = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i).split() == split) {
        indices.add(i);
      }
    }
    if (indices.isEmpty()) {
      throw new MedvisionException("data " + source + " has no examples in split " + split.id());
    }
    List<Sample> selected = new ArrayList<>();
    Map<String, double[]> attrs = new LinkedHashMap<>();
    attributes.forEach((k, v) -> attrs.put(k, new double[indices.size()]));
    for (int j = 0; j < indices.size(); j++) {
      int i = indices.get(j);
      selected.add(rows.get(i));
      final int row = j;
      attributes.forEach((k, v) -> attrs.get(k)[row] = v[i]);
    }
    return new ExampleSet(schema, selected, attrs);
  }

  /** Examples per class in {@code split}, in class order. */
  public int[] counts(Split split) {
    ClassBalance b = balance();
    List<String> classes = classes();
    int[] counts = new int[classes.size()];
    for (int c = 0; c < counts.length; c++) {
      counts[c] = b.count(split, classes.get(c));
    }
    return counts;
  }
}
