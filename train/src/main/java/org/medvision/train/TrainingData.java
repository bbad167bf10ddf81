package org.medvision.train;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.medvision.api.MedvisionException;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.io.dataset.ClassBalance;
import org.medvision.io.dataset.Dataset;
import org.medvision.io.dataset.FolderDataset;
import org.medvision.io.dataset.LabelMapping;
import org.medvision.io.dataset.Manifest;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.Split;
import org.medvision.io.dataset.Splits;

/**
 * The labelled images of a training run, split into train, validation and test, with their classes mapped to a
 * task's outputs.
 *
 * <p>Rows come from a manifest CSV or from a folder in the stroke dataset's folder-per-class layout. Rows that carry
 * a split keep it; the others are assigned by {@link Splits#stratified} with {@link #TRAIN_FRACTION}/
 * {@link #VAL_FRACTION}/{@link #TEST_FRACTION} and the split seed (by patient where patient ids exist). Every split
 * must hold every class.
 *
 * @param source the manifest file or the dataset folder, absolute
 * @param sha256 SHA-256 of the manifest's bytes, or for a folder of its listing ("label/path" lines in order), so a
 *     checkpoint records exactly which data it was trained on
 * @param classes the task's classes, in output order
 * @param rows every used row, with labels as class names and splits assigned
 */
public record TrainingData(Path source, String sha256, List<String> classes, List<Sample> rows) {
  /** Fraction of unassigned rows put into training. */
  public static final double TRAIN_FRACTION = 0.8;
  /** Fraction of unassigned rows put into validation. */
  public static final double VAL_FRACTION = 0.1;
  /** Fraction of unassigned rows put into testing. */
  public static final double TEST_FRACTION = 0.1;

  /** Copies the lists. */
  public TrainingData {
    classes = List.copyOf(classes);
    rows = List.copyOf(rows);
  }

  /**
   * Reads {@code data}, a manifest CSV or a dataset folder, for a task whose outputs are {@code classes}.
   *
   * @param splitSeed seed of the stratified split of rows without a split
   * @throws org.medvision.io.dataset.DatasetException naming the file and row for a missing or unreadable image, an
   *     unknown label, an empty class or a split without examples
   */
  public static TrainingData load(Path data, List<String> classes, long splitSeed) {
    Path source = data.toAbsolutePath().normalize();
    List<Sample> raw;
    String sha;
    if (Files.isDirectory(source)) {
      raw = FolderDataset.read(source);
      StringBuilder listing = new StringBuilder();
      for (Sample s : raw) {
        listing.append(s.label()).append('/').append(source.relativize(s.path())).append('\n');
      }
      sha = WeightsDigest.sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
    } else {
      raw = Manifest.read(source);
      sha = WeightsDigest.sha256(source);
    }
    List<Sample> mapped = LabelMapping.of(classes).apply(raw);
    List<Sample> split = Splits.stratified(mapped, splitSeed, TRAIN_FRACTION, VAL_FRACTION, TEST_FRACTION);
    return new TrainingData(source, sha, classes, split);
  }

  /** Rows per split and class. */
  public ClassBalance balance() {
    return ClassBalance.of(rows, classes);
  }

  /**
   * The images of {@code split}, in row order.
   *
   * @throws MedvisionException if the split is empty
   */
  public Dataset dataset(Split split) {
    List<Sample> selected = Splits.select(rows, split);
    if (selected.isEmpty()) {
      throw new MedvisionException("data " + source + " has no images in split " + split.id());
    }
    return Dataset.of(selected, classes);
  }

  /** Images per class in {@code split}, in class order. */
  public int[] counts(Split split) {
    ClassBalance b = balance();
    int[] counts = new int[classes.size()];
    for (int c = 0; c < counts.length; c++) {
      counts[c] = b.count(split, classes.get(c));
    }
    return counts;
  }
}
