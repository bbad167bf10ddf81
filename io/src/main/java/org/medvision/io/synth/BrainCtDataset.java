package org.medvision.io.synth;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.medvision.api.MedvisionException;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.Columns;
import org.medvision.io.dataset.Manifest;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.Splits;
import org.medvision.io.transform.Window;

/**
 * Writes a synthetic brain CT data set: 8-bit grayscale PNG slices, or DICOM CT series in HU, and a manifest.
 *
 * <p>Layout for {@code png}: {@code out/<class>/<class>_<index>.png}; for {@code dicom}: one CT series folder per
 * case, {@code out/<class>/<class>_<index>/CT000001.dcm} ({@link BrainCtDicomSeries}), and the manifest row points at
 * that file, so a loader that reads one image per row reads it directly and a series loader finds its folder as the
 * parent. Both come with {@code out/manifest.csv} with columns
 * {@code path,label,patient_id,split} (paths relative to the manifest). Image {@code i} (0-based) has class
 * {@code [normal, hemorrhagic, ischemic][i % 3]}, so the classes differ in size by at most one and the first classes
 * get the remainder; its random stream is derived from the seed and {@code i} alone, so any image can be reproduced
 * by itself. Each slice is its own synthetic patient, {@code synth-<index>}. Splits are assigned 80/10/10 train/val/
 * test, stratified by class, with the same seed ({@link Splits#stratified}); that needs at least
 * {@link #MIN_COUNT} images so every split holds every class. Indices are zero-padded to at least four digits.
 *
 * <p>The set is written into a hidden folder beside {@code out} and renamed into place at the end, so a failure
 * leaves no partial set. An existing non-empty {@code out} is refused unless {@code force}, which replaces it (the old
 * content is removed only after the new set is complete).
 */
public final class BrainCtDataset {
  /** The fewest images that give every split at least one image of every class. */
  public static final int MIN_COUNT = 9;
  /** Output formats: 8-bit windowed PNG, or DICOM CT in HU. */
  public static final List<String> FORMATS = List.of("png", "dicom");
  /** Name of the manifest inside the output folder. */
  public static final String MANIFEST = "manifest.csv";

  private static final BrainCtClass[] CYCLE = {BrainCtClass.NORMAL, BrainCtClass.HEMORRHAGIC, BrainCtClass.ISCHEMIC};
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private BrainCtDataset() {}

  /**
   * What was written.
   *
   * @param manifest the manifest file
   * @param perClass images per class label, in class order
   * @param seed the seed used
   */
  public record Result(Path manifest, Map<String, Integer> perClass, long seed) {}

  /**
   * Writes a new set into {@code out}, which must not exist or be empty; see {@link #generate(Path, int, int, long,
   * Difficulty, String, boolean, ProgressListener)}.
   */
  public static Result generate(Path out, int count, int size, long seed, Difficulty difficulty, String window) {
    return generate(out, count, size, seed, difficulty, window, false, ProgressListener.NONE);
  }

  /**
   * Writes {@code count} slices of {@code size x size} pixels into {@code out}.
   *
   * @param window a {@link Window} preset name applied before quantising to 8 bits
   * @param force replace a non-empty {@code out}
   * @param progress told after each image (images done, count)
   * @throws MedvisionException if the count is below {@link #MIN_COUNT}, the size below
   *     {@link BrainCtPhantom#MIN_SIZE}, the window unknown, {@code out} is a file or a non-empty folder without
   *     {@code force}, its parent folder is missing, or writing fails (nothing is left behind then)
   */
  public static Result generate(Path out, int count, int size, long seed, Difficulty difficulty, String window,
      boolean force, ProgressListener progress) {
    return generate(out, count, size, seed, difficulty, window, "png", force, progress);
  }

  /**
   * Writes {@code count} slices of {@code size x size} pixels into {@code out} in {@code format} (see
   * {@link #FORMATS}); for DICOM the window becomes the first Window Center/Width preset instead of being applied.
   *
   * @throws MedvisionException as {@link #generate(Path, int, int, long, Difficulty, String, boolean,
   *     ProgressListener)}, and for an unknown format
   */
  public static Result generate(Path out, int count, int size, long seed, Difficulty difficulty, String window,
      String format, boolean force, ProgressListener progress) {
    if (!FORMATS.contains(format)) {
      throw new MedvisionException("unknown synthetic image format '" + format + "'; formats: "
          + String.join(", ", FORMATS));
    }
    if (count < MIN_COUNT) {
      throw new MedvisionException("a synthetic set needs at least " + MIN_COUNT + " images so that train, val and "
          + "test each hold every class, got " + count);
    }
    BrainCtPhantom phantom = new BrainCtPhantom(size, size, difficulty);
    Window windowing = Window.preset(window);
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    if (parent == null || !Files.isDirectory(parent)) {
      throw new MedvisionException("cannot write " + target + ": folder " + parent + " does not exist");
    }
    StagedFolder staged = StagedFolder.open(target, force);
    try {
      Result r = write(staged.path(), target, count, phantom, windowing, window, format, seed, progress);
      staged.publish();
      return r;
    } catch (RuntimeException | Error e) {
      try {
        staged.discard();
      } catch (RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
  }

  /** The random stream of image {@code index}: a function of the seed and the index only. */
  public static SplittableRandom randomFor(long seed, int index) {
    return new SplittableRandom(new SplittableRandom(seed + GOLDEN_GAMMA * (index + 1L)).nextLong());
  }

  /** The class of image {@code index}. */
  public static BrainCtClass classOf(int index) {
    return CYCLE[index % CYCLE.length];
  }

  /** The manifest-relative path of image {@code index} in a set of {@code count}. */
  public static String fileName(int index, int count) {
    return fileName(index, count, "png");
  }

  /** The manifest-relative path of image {@code index} in a set of {@code count} written as {@code format}. */
  public static String fileName(int index, int count, String format) {
    String label = classOf(index).label();
    String stem = label + "/" + label + "_" + pad(index, count);
    return format.equals("dicom") ? stem + "/" + BrainCtDicomSeries.FIRST_FILE : stem + ".png";
  }

  private static String pad(int index, int count) {
    int digits = Math.max(4, Integer.toString(count - 1).length());
    String s = Integer.toString(index);
    return "0".repeat(Math.max(0, digits - s.length())) + s;
  }

  private static Result write(Path staging, Path target, int count, BrainCtPhantom phantom, Window windowing,
      String window, String format, long seed, ProgressListener progress) {
    BrainCtDicomSeries dicom = new BrainCtDicomSeries();
    Map<String, Integer> perClass = new LinkedHashMap<>();
    for (BrainCtClass c : CYCLE) {
      perClass.put(c.label(), 0);
      mkdir(staging.resolve(c.label()));
    }
    List<Sample> rows = new ArrayList<>(count);
    Path stagedManifest = staging.resolve(MANIFEST);
    for (int i = 0; i < count; i++) {
      BrainCtClass c = classOf(i);
      Slice slice = phantom.generate(c, randomFor(seed, i));
      Path file = staging.resolve(fileName(i, count, format));
      if (format.equals("dicom")) {
        dicom.write(file.getParent(), List.of(slice), "synth-" + pad(i, count), window);
      } else {
        writePng(file, slice, windowing);
      }
      perClass.merge(c.label(), 1, Integer::sum);
      Map<String, String> values = new LinkedHashMap<>();
      values.put("path", file.toString());
      values.put("label", c.label());
      rows.add(new Sample(file.toString(), values, c.label(), "synth-" + pad(i, count), null, stagedManifest, 0));
      progress.progress(i + 1, count);
    }
    List<Map<String, String>> lines = new ArrayList<>();
    for (Sample row : Splits.stratified(rows, seed, 0.8, 0.1, 0.1)) {
      Map<String, String> line = new LinkedHashMap<>(row.values());
      line.put(Columns.PATIENT, row.patientId());
      line.put(Columns.SPLIT, row.split().id());
      lines.add(line);
    }
    Manifest.write(stagedManifest, List.of("path", "label", Columns.PATIENT, Columns.SPLIT), lines, List.of("path"));
    return new Result(target.resolve(MANIFEST), perClass, seed);
  }

  private static void writePng(Path file, Slice slice, Window windowing) {
    int h = slice.height();
    int w = slice.width();
    float[] hu = slice.hu();
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
    WritableRaster raster = image.getRaster();
    int[] samples = new int[hu.length];
    for (int i = 0; i < hu.length; i++) {
      samples[i] = windowing.toByte(hu[i]);
    }
    raster.setSamples(0, 0, w, h, 0, samples);
    try {
      if (!ImageIO.write(image, "png", file.toFile())) {
        throw new MedvisionException("no PNG writer available to write " + file);
      }
    } catch (IOException e) {
      throw new MedvisionException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static void mkdir(Path dir) {
    try {
      Files.createDirectory(dir);
    } catch (IOException e) {
      throw new MedvisionException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }
}
