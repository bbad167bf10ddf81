package org.medvision.io.synth.cxr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

/** The cohort plan: names and numbering as in the real set, a test list by patient, and label statistics like it. */
class ChestXrayCohortTest {
  private static final int COUNT = 3000;
  private static final List<ChestXrayCase> PLAN = ChestXrayCohort.plan(COUNT, 7);

  private static int[] perFinding(List<ChestXrayCase> plan) {
    int[] n = new int[CxrFinding.values().length];
    plan.forEach(c -> c.findings().forEach(f -> n[f.ordinal()]++));
    return n;
  }

  @Test
  void aSeedFixesThePlanAndAnotherSeedChangesIt() {
    assertEquals(PLAN, ChestXrayCohort.plan(COUNT, 7));
    assertNotEquals(PLAN, ChestXrayCohort.plan(COUNT, 8));
    assertEquals(COUNT, PLAN.size());
    assertEquals(1, ChestXrayCohort.plan(1, 7).size());
    assertThrows(MedvisionException.class, () -> ChestXrayCohort.plan(0, 7));
  }

  @Test
  void imagesAreNamedByPatientAndFollowUpInOrder() {
    int patient = 0;
    int followUp = -1;
    Set<String> names = new HashSet<>();
    for (ChestXrayCase c : PLAN) {
      if (c.patientId() != patient) {
        assertEquals(patient + 1, c.patientId(), "patients are numbered from 1 without gaps");
        patient = c.patientId();
        followUp = -1;
      }
      assertEquals(followUp + 1, c.followUp(), "follow-ups are numbered from 0 without gaps");
      followUp = c.followUp();
      assertEquals(String.format("%08d_%03d.png", c.patientId(), c.followUp()), c.imageIndex());
      assertTrue(names.add(c.imageIndex()));
    }
    ChestXrayCase first = PLAN.get(0);
    assertTrue(first.dataEntryLine().startsWith("00000001_000.png," + first.findingLabels() + ",0,1,"),
        first.dataEntryLine());
  }

  @Test
  void theTestListTakesAboutAFifthOfTheImagesByPatient() {
    Map<Integer, Boolean> test = new HashMap<>();
    for (ChestXrayCase c : PLAN) {
      Boolean before = test.putIfAbsent(c.patientId(), c.test());
      assertTrue(before == null || before == c.test(), "patient " + c.patientId() + " is in one list");
    }
    long testImages = PLAN.stream().filter(ChestXrayCase::test).count();
    assertEquals(ChestXrayCohort.TEST_SHARE, testImages / (double) COUNT, 0.01);
    // Even the smallest set keeps both lists.
    for (long seed = 0; seed < 20; seed++) {
      List<ChestXrayCase> small = ChestXrayCohort.plan(ChestXrayDataset.MIN_COUNT, seed);
      long t = small.stream().filter(ChestXrayCase::test).count();
      assertTrue(t > 0 && t < small.size(), "seed " + seed + ": " + t + " test images");
    }
  }

  @Test
  void labelFrequenciesAndPairingsFollowTheRealSet() {
    int[] n = perFinding(PLAN);
    long none = PLAN.stream().filter(c -> c.findings().isEmpty()).count();
    long several = PLAN.stream().filter(c -> c.findings().size() >= 2).count();
    assertEquals(0.5, none / (double) COUNT, 0.05, "about half say No Finding");
    assertTrue(several > 0.15 * COUNT, several + " images with several findings");
    for (CxrFinding f : CxrFinding.values()) {
      assertTrue(n[CxrFinding.INFILTRATION.ordinal()] >= n[f.ordinal()], "Infiltration is the most common, " + f);
      assertTrue(n[CxrFinding.HERNIA.ordinal()] <= n[f.ordinal()], "Hernia is the rarest, " + f);
    }
    assertTrue(n[CxrFinding.HERNIA.ordinal()] >= 0.01 * COUNT, "Hernia is rare, not absent");
    // Effusion with Infiltration, and Mass with Nodule, come together more often than independent draws would.
    for (CxrFinding[] pair : new CxrFinding[][] {{CxrFinding.EFFUSION, CxrFinding.INFILTRATION},
        {CxrFinding.MASS, CxrFinding.NODULE}, {CxrFinding.CARDIOMEGALY, CxrFinding.EFFUSION}}) {
      long both = PLAN.stream().filter(c -> c.findings().containsAll(List.of(pair))).count();
      double independent = n[pair[0].ordinal()] * (double) n[pair[1].ordinal()] / COUNT;
      assertTrue(both > 1.5 * independent, pair[0] + "+" + pair[1] + ": " + both + " vs " + independent);
    }
    assertEquals("Cardiomegaly|Effusion|Pleural_Thickening", new ChestXrayCase(1, 0, Set.of(
        CxrFinding.PLEURAL_THICKENING, CxrFinding.EFFUSION, CxrFinding.CARDIOMEGALY), 40, true, false, 2500, 2048,
        0.168, false, 1, 2).findingLabels());
  }
}
