package org.medvision.io.synth.cxr;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;

/**
 * Plans a synthetic ChestX-ray14-like cohort: patients with one or more images, each image's findings and
 * acquisition facts, and a test list chosen by patient. Planning draws only from {@code new SplittableRandom(seed)},
 * so a seed fixes the plan.
 *
 * <ul>
 *   <li>Images per patient: 1 (45%), 2 (20%), 3 (12%), 4 (8%) or 5 to 10 (15%), fewer at the end to make the count;
 *       follow-ups are numbered from 0, patients from 1 in order, as the real file names are.</li>
 *   <li>Findings: an image shows none with probability {@value #NO_FINDING_SHARE}; otherwise 1 (50%), 2 (28%), 3
 *       (14%) or 4 (8%) findings, the first drawn by {@link CxrFinding#share()}, each further one by its share times
 *       {@value #AFFINITY} for every finding already chosen that it often accompanies in the real set
 *       ({@link #affine}). A follow-up keeps each chronic finding of the image before it (a big heart, emphysema,
 *       fibrosis, pleural thickening, a hernia, a nodule or mass) with probability {@value #CHRONIC_KEPT}.</li>
 *   <li>Patients: age 47 +- 16 years (1 to 95), 44% women; 40% of images are AP; original sizes and pixel spacings
 *       are drawn from those common in the real set.</li>
 *   <li>Test list: patients in seeded random order until {@value #TEST_SHARE} of the images are in it (never all of
 *       them), so no patient is in both lists, as in the official split.</li>
 * </ul>
 */
public final class ChestXrayCohort {
  /** Share of images without findings. */
  public static final double NO_FINDING_SHARE = 0.58;
  /** Target share of test images. */
  public static final double TEST_SHARE = 0.22;
  /** Weight factor for a finding that often accompanies one already chosen. */
  static final double AFFINITY = 2.5;
  /** Probability that a follow-up keeps a chronic finding. */
  static final double CHRONIC_KEPT = 0.7;

  private static final double[] IMAGES_PER_PATIENT = {0.45, 0.20, 0.12, 0.08, 0.15};
  private static final double[] EXTRA_FINDINGS = {0.50, 0.28, 0.14, 0.08};
  private static final Set<CxrFinding> CHRONIC = EnumSet.of(CxrFinding.CARDIOMEGALY, CxrFinding.EMPHYSEMA,
      CxrFinding.FIBROSIS, CxrFinding.PLEURAL_THICKENING, CxrFinding.HERNIA, CxrFinding.NODULE, CxrFinding.MASS);
  /** Original width, height (pixels) and spacing (mm) combinations. */
  private static final double[][] ORIGINALS = {{2500, 2048, 0.168}, {2048, 2500, 0.168}, {2992, 2991, 0.143},
      {3056, 2544, 0.139}, {2544, 3056, 0.139}, {2682, 2749, 0.143}, {2021, 2021, 0.194}, {3008, 2540, 0.143}};

  private ChestXrayCohort() {}

  /** Whether {@code a} and {@code b} often appear together on real images. */
  static boolean affine(CxrFinding a, CxrFinding b) {
    return pair(a, b, CxrFinding.EFFUSION, CxrFinding.INFILTRATION)
        || pair(a, b, CxrFinding.ATELECTASIS, CxrFinding.EFFUSION)
        || pair(a, b, CxrFinding.ATELECTASIS, CxrFinding.INFILTRATION)
        || pair(a, b, CxrFinding.CARDIOMEGALY, CxrFinding.EFFUSION)
        || pair(a, b, CxrFinding.CARDIOMEGALY, CxrFinding.EDEMA)
        || pair(a, b, CxrFinding.EDEMA, CxrFinding.EFFUSION)
        || pair(a, b, CxrFinding.EDEMA, CxrFinding.INFILTRATION)
        || pair(a, b, CxrFinding.CONSOLIDATION, CxrFinding.ATELECTASIS)
        || pair(a, b, CxrFinding.CONSOLIDATION, CxrFinding.EFFUSION)
        || pair(a, b, CxrFinding.PNEUMONIA, CxrFinding.INFILTRATION)
        || pair(a, b, CxrFinding.PNEUMONIA, CxrFinding.CONSOLIDATION)
        || pair(a, b, CxrFinding.MASS, CxrFinding.NODULE)
        || pair(a, b, CxrFinding.EMPHYSEMA, CxrFinding.PNEUMOTHORAX)
        || pair(a, b, CxrFinding.FIBROSIS, CxrFinding.PLEURAL_THICKENING);
  }

  private static boolean pair(CxrFinding a, CxrFinding b, CxrFinding x, CxrFinding y) {
    return (a == x && b == y) || (a == y && b == x);
  }

  /**
   * Plans {@code count} images, in file-name order.
   *
   * @throws MedvisionException if {@code count} is below 1
   */
  public static List<ChestXrayCase> plan(int count, long seed) {
    if (count < 1) {
      throw new MedvisionException("a cohort needs at least one image, got " + count);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<List<ChestXrayCase>> patients = new ArrayList<>();
    int planned = 0;
    while (planned < count) {
      int images = Math.min(count - planned, imagesPerPatient(rng));
      patients.add(patient(patients.size() + 1, images, rng));
      planned += images;
    }
    boolean[] test = testPatients(patients, count, rng);
    List<ChestXrayCase> out = new ArrayList<>(count);
    for (int p = 0; p < patients.size(); p++) {
      for (ChestXrayCase c : patients.get(p)) {
        out.add(new ChestXrayCase(c.patientId(), c.followUp(), c.findings(), c.age(), c.female(), c.ap(),
            c.originalWidth(), c.originalHeight(), c.pixelSpacing(), test[p], c.patientSeed(), c.imageSeed()));
      }
    }
    return List.copyOf(out);
  }

  private static int imagesPerPatient(SplittableRandom rng) {
    int k = pick(rng, IMAGES_PER_PATIENT);
    return k < 4 ? k + 1 : 5 + rng.nextInt(6);
  }

  private static List<ChestXrayCase> patient(int id, int images, SplittableRandom rng) {
    int age = (int) Math.round(Sampling.clamp(Sampling.normal(rng, 47, 16), 1, 95));
    boolean female = Sampling.chance(rng, 0.44);
    long patientSeed = rng.nextLong();
    double[] original = ORIGINALS[rng.nextInt(ORIGINALS.length)];
    List<ChestXrayCase> out = new ArrayList<>(images);
    Set<CxrFinding> previous = Set.of();
    for (int f = 0; f < images; f++) {
      Set<CxrFinding> findings = findings(rng);
      for (CxrFinding kept : previous) {
        if (CHRONIC.contains(kept) && Sampling.chance(rng, CHRONIC_KEPT)) {
          findings.add(kept);
        }
      }
      boolean ap = Sampling.chance(rng, 0.4);
      int years = Math.min(95, age + (int) Math.floor(f * Sampling.uniform(rng, 0, 0.5)));
      out.add(new ChestXrayCase(id, f, findings, years, female, ap, (int) original[0], (int) original[1],
          original[2], false, patientSeed, rng.nextLong()));
      previous = findings;
    }
    return out;
  }

  /** One image's findings, drawn as the class comment says. */
  static Set<CxrFinding> findings(SplittableRandom rng) {
    Set<CxrFinding> chosen = EnumSet.noneOf(CxrFinding.class);
    if (Sampling.chance(rng, NO_FINDING_SHARE)) {
      return chosen;
    }
    int k = 1 + pick(rng, EXTRA_FINDINGS);
    CxrFinding[] all = CxrFinding.values();
    for (int step = 0; step < k; step++) {
      double[] weights = new double[all.length];
      for (CxrFinding f : all) {
        if (chosen.contains(f)) {
          continue;
        }
        double w = f.share();
        for (CxrFinding c : chosen) {
          w *= affine(c, f) ? AFFINITY : 1;
        }
        weights[f.ordinal()] = w;
      }
      chosen.add(all[pick(rng, weights)]);
    }
    return chosen;
  }

  /** Patients in seeded random order until the test images reach {@link #TEST_SHARE} of {@code count}. */
  private static boolean[] testPatients(List<List<ChestXrayCase>> patients, int count, SplittableRandom rng) {
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < patients.size(); p++) {
      order.add(p);
    }
    for (int i = order.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      Integer t = order.get(i);
      order.set(i, order.get(j));
      order.set(j, t);
    }
    boolean[] test = new boolean[patients.size()];
    long target = Math.round(TEST_SHARE * count);
    int images = 0;
    for (int p : order) {
      if (images >= target) {
        break;
      }
      int size = patients.get(p).size();
      if (images + size < count) {
        test[p] = true;
        images += size;
      }
    }
    return test;
  }

  /** An index drawn with probability proportional to its (non-negative) weight. */
  private static int pick(SplittableRandom rng, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = rng.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    for (int i = weights.length - 1; i >= 0; i--) {
      if (weights[i] > 0) {
        return i;
      }
    }
    return 0;
  }
}
