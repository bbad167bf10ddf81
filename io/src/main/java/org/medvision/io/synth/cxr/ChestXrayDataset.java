package org.medvision.io.synth.cxr;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;






import javax.imageio.ImageIO;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ChestXray14;
import org.medvision.io.synth.ParallelCases;
import org.medvision.io.synth.StagedFolder;

/**
 * Writes a synthetic chest radiograph set in the layout of NIH ChestX-ray14, so it reads as the real one does
 * ({@link ChestXray14}).
 *
 * <p>Layout under {@code out}:
 * <ul>
 *   <li>{@code images/00000001_000.png}, ...: 8-bit grey PNG, {@code size x size}; or, with the archive layout, the
 *       same files spread in name order over {@code images_001/images/} to {@code images_012/images/} as the
 *       published archives unpack (fewer folders for fewer than 12 images);</li>
 *   <li>{@value ChestXray14#DATA_ENTRY}: the published header (trailing comma included) and one row per image in name
 *       order;</li>
 *   <li>{@value ChestXray14#TRAIN_VAL_LIST} and {@value ChestXray14#TEST_LIST}: image names, sorted, split by patient
 *       ({@link ChestXrayCohort}).</li>
 * </ul>
 * Images are planned by {@link ChestXrayCohort} and drawn by {@link ChestXrayPhantom}; each depends only on its plan,
 * so they are drawn on up to four threads and the same seed still gives the same bytes. The set is written into a
 * hidden folder beside {@code out} and renamed into place at the end: a failure leaves nothing behind, and a non-empty
 * {@code out} is replaced only with {@code force}.
 */
public final class ChestXrayDataset {
  /** The fewest images: enough for two patients, a test list and a training list. */
  public static final int MIN_COUNT = 20;
  /** Folder layouts: one {@code images/} folder, or the published archives' {@code images_0NN/images/}. */
  public static final List<String> LAYOUTS = List.of("flat", "archives");
  /** Number of published image archives. */
  public static final int ARCHIVES = 12;

  private static final int MAX_THREADS = 4;

  private ChestXrayDataset() {}

  /**
   * What was written.
   *
   * @param out the output folder
   * @param cases the images, in name order
   * @param paths each image's path relative to {@code out}, in the same order
   * @param size the image size
   * @param seed the seed used
   * @param elapsedNanos how long writing took
   */
  public record Result(Path out, List<ChestXrayCase> cases, List<String> paths, int size, long seed,
      long elapsedNanos) {
    /** Copies the lists. */
    public Result {
      cases = List.copyOf(cases);
      paths = List.copyOf(paths);
    }

    /** Images showing each finding, in {@link CxrFinding} order. */
    public int[] perFinding() {
      int[] n = new int[CxrFinding.values().length];
      for (ChestXrayCase c : cases) {
        c.findings().forEach(f -> n[f.ordinal()]++);
      }
      return n;
    }

    /** Images showing both of two findings: {@code [a][b]}, symmetric, with each finding's count on the diagonal. */
    public int[][] cooccurrence() {
      int k = CxrFinding.values().length;
      int[][] n = new int[k][k];
      for (ChestXrayCase c : cases) {
        for (CxrFinding a : c.findings()) {
          for (CxrFinding b : c.findings()) {
            n[a.ordinal()][b.ordinal()]++;
          }
        }
      }
      return n;
    }

    /** Images by number of findings: index 0 for "No Finding", the last index for that many or more. */
    public int[] findingsPerImage(int buckets) {
      int[] n = new int[buckets];
      for (ChestXrayCase c : cases) {
        n[Math.min(buckets - 1, c.findings().size())]++;
      }
      return n;
    }

    /** Number of distinct patients, in all ({@code null}) or in the test list or not. */
    public long patients(Boolean test) {
      return cases.stream().filter(c -> test == null || c.test() == test).mapToInt(ChestXrayCase::patientId)
          .distinct().count();
    }

    /** Number of images in the test list. */
    public long testImages() {
      return cases.stream().filter(ChestXrayCase::test).count();
    }
  }

  /**
   * Writes {@code count} images of {@code size x size} pixels into {@code out}.
   *
   * @param layout one of {@link #LAYOUTS}
   * @param force replace a non-empty {@code out}
   * @param progress told after each image (images done, count), one call at a time
   * @throws MedvisionException if the count is below {@link #MIN_COUNT}, the size outside
   *     {@link ChestXrayPhantom#MIN_SIZE}..{@link ChestXrayPhantom#MAX_SIZE}, the layout unknown, {@code out} is a
   *     file or a non-empty folder without {@code force}, or writing fails (nothing but created parent folders is
   *     left then)
   */
  public static Result generate(Path out, int count, int size, long seed, String layout, boolean force,
      ProgressListener progress) {
    long started = System.nanoTime();
    if (!LAYOUTS.contains(layout)) {
      throw new MedvisionException("unknown chest radiograph layout '" + layout + "'; layouts: "
          + String.join(", ", LAYOUTS));
    }
    if (count < MIN_COUNT) {
      throw new MedvisionException("a synthetic chest radiograph set needs at least " + MIN_COUNT + " images, got "
          + count);
    }
    ChestXrayPhantom phantom = new ChestXrayPhantom(size);
    List<ChestXrayCase> plan = ChestXrayCohort.plan(count, seed);
    List<String> paths = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String folder = layout.equals("flat") ? "images"
          : String.format(Locale.ROOT, "images_%03d/images", i * ARCHIVES / count + 1);
      paths.add(folder + "/" + plan.get(i).imageIndex());
    }
    StagedFolder staged = StagedFolder.open(out, force);
    try {
      Path root = staged.path();
      for (String p : paths) {
        Files.createDirectories(root.resolve(p).getParent());
      }
      writeAll(root, plan, paths, phantom, progress);
      writeText(root.resolve(ChestXray14.DATA_ENTRY), dataEntry(plan));
      writeText(root.resolve(ChestXray14.TRAIN_VAL_LIST), list(plan, false));
      writeText(root.resolve(ChestXray14.TEST_LIST), list(plan, true));
      staged.publish();
      return new Result(staged.target(), plan, paths, size, seed, System.nanoTime() - started);
    } catch (IOException e) {
      staged.discardAfter(e);
      throw new MedvisionException("cannot write the set into " + staged.target() + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      staged.discardAfter(e);
      throw e;
    }
  }

  private static String dataEntry(List<ChestXrayCase> plan) {
    StringBuilder sb = new StringBuilder(ChestXray14.HEADER).append('\n');
    plan.forEach(c -> sb.append(c.dataEntryLine()).append('\n'));
    return sb.toString();
  }

  private static String list(List<ChestXrayCase> plan, boolean test) {
    List<String> names = new ArrayList<>();
    plan.stream().filter(c -> c.test() == test).forEach(c -> names.add(c.imageIndex()));
    Collections.sort(names);
    StringBuilder sb = new StringBuilder();
    names.forEach(n -> sb.append(n).append('\n'));
    return sb.toString();
  }

  private static void writeText(Path file, String text) throws IOException {
    AtomicFiles.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeAll(Path root, List<ChestXrayCase> plan, List<String> paths, ChestXrayPhantom phantom,
      ProgressListener progress) {
    ParallelCases.run(plan.size(), MAX_THREADS, "chest-xray-synth", "chest radiograph set", progress, i -> {
      ChestXrayCase c = plan.get(i);
      ChestXrayPhantom.Radiograph r = phantom.draw(c.patientSeed(), c.imageSeed(), c.ap(), c.female(), c.findings());
      writePng(root.resolve(paths.get(i)), r.pixels(), phantom.size());
      return null;
    });
  }

  private static void writePng(Path file, byte[] pixels, int size) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setDataElements(0, 0, size, size, pixels);
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer for " + file);
    }
  }

}
