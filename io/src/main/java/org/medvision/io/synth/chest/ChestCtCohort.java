package org.medvision.io.synth.chest;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.medvision.api.MedvisionException;

/**
 * Plans a synthetic COVID-19 vs CAP cohort: which patients, how many scans each, their class, infection size and
 * whether a mask goes missing. Planning draws only from {@code new SplittableRandom(seed)}, so a seed fixes the plan.
 *
 * <ul>
 *   <li>Classes: {@value #COVID_SHARE} of the scans are COVID-19 and the rest CAP, to within one scan: each patient
 *       takes the class that keeps the running count of COVID-19 scans closest to that share.</li>
 *   <li>Follow-ups: a patient gets a second scan with probability {@value #FOLLOW_UP_PROBABILITY} (while the count
 *       allows); it keeps the patient ID, class and anatomy, and its infection ratio is the first one's times a
 *       log-uniform factor in 0.45..2 (kept in 0.003..0.5).</li>
 *   <li>Infection ratio (infected over lung voxels): a mixture of a <em>limited</em> component, log-uniform in
 *       0.005..0.04, and an <em>extensive</em> one, log-uniform in 0.06..0.40 for COVID-19 and 0.06..0.30 for CAP.
 *       COVID-19 is extensive with probability {@value #COVID_EXTENSIVE}, CAP with {@value #CAP_EXTENSIVE}: the
 *       classes overlap, but most COVID-19 cases are large and most CAP cases small, so the (class, size) cells are
 *       filled unequally, which is what size-balanced sampling corrects.</li>
 *   <li>Order: the scans are shuffled before they are numbered, so a patient's two scans are rarely neighbours and a
 *       split by case number leaks patients; split by patient ID.</li>
 *   <li>Missing masks: {@code round(count / 25)} scans (4%) chosen at random have no infection mask.</li>
 * </ul>
 */
public final class ChestCtCohort {
  /** Share of COVID-19 scans. */
  public static final double COVID_SHARE = 0.6;
  /** Probability that a patient has a follow-up scan. */
  public static final double FOLLOW_UP_PROBABILITY = 0.2;
  /** Probability that a COVID-19 scan has an extensive infection. */
  public static final double COVID_EXTENSIVE = 0.7;
  /** Probability that a CAP scan has an extensive infection. */
  public static final double CAP_EXTENSIVE = 0.25;

  private ChestCtCohort() {}

  /** A scan before it has a number. */
  private record Draft(int patient, int scan, ChestCtClass diagnosis, double ratio, long patientSeed, long scanSeed) {}

  /**
   * Plans {@code count} scans, in case-number order.
   *
   * @throws MedvisionException if {@code count} is below 1
   */
  public static List<ChestCtCase> plan(int count, long seed) {
    if (count < 1) {
      throw new MedvisionException("a cohort needs at least one scan, got " + count);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    List<Draft> scans = new ArrayList<>(count);
    int covid = 0;
    int patients = 0;
    while (scans.size() < count) {
      int n = scans.size() + 2 <= count && rng.nextDouble() < FOLLOW_UP_PROBABILITY ? 2 : 1;
      boolean isCovid = covid < Math.round(COVID_SHARE * (scans.size() + n));
      ChestCtClass diagnosis = isCovid ? ChestCtClass.COVID : ChestCtClass.CAP;
      double ratio = ratio(rng, diagnosis);
      long patientSeed = rng.nextLong();
      for (int s = 1; s <= n; s++) {
        double r = s == 1 ? ratio : Math.max(0.003, Math.min(0.5, ratio * Draw.logUniform(rng, 0.45, 2.0)));
        scans.add(new Draft(patients, s, diagnosis, r, patientSeed, rng.nextLong()));
      }
      covid += isCovid ? n : 0;
      patients++;
    }
    shuffle(scans, rng);
    boolean[] missing = new boolean[count];
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      order.add(i);
    }
    shuffle(order, rng);
    for (int i = 0; i < Math.round(count / 25.0); i++) {
      missing[order.get(i)] = true;
    }
    int digits = Math.max(4, Integer.toString(Math.max(count, patients)).length());
    List<ChestCtCase> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Draft d = scans.get(i);
      out.add(new ChestCtCase("case_" + pad(i + 1, digits), "p" + pad(d.patient() + 1, digits), d.patient(),
          d.scan(), d.diagnosis(), d.ratio(), missing[i], d.patientSeed(), d.scanSeed()));
    }
    return List.copyOf(out);
  }

  private static double ratio(SplittableRandom rng, ChestCtClass diagnosis) {
    boolean covid = diagnosis == ChestCtClass.COVID;
    boolean extensive = rng.nextDouble() < (covid ? COVID_EXTENSIVE : CAP_EXTENSIVE);
    return extensive ? Draw.logUniform(rng, 0.06, covid ? 0.40 : 0.30) : Draw.logUniform(rng, 0.005, 0.04);
  }

  /** Fisher-Yates with our generator, so the order depends on the seed alone. */
  private static <T> void shuffle(List<T> list, SplittableRandom rng) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = list.get(i);
      list.set(i, list.get(j));
      list.set(j, t);
    }
  }

  private static String pad(int value, int digits) {
    return String.format(Locale.ROOT, "%0" + digits + "d", value);
  }
}
