package org.medvision.io.synth.chest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class ChestCtCohortTest {
  private static double share(List<ChestCtCase> cases, ChestCtClass c, double minRatio) {
    List<ChestCtCase> of = cases.stream().filter(x -> x.diagnosis() == c).toList();
    return of.stream().filter(x -> x.targetRatio() >= minRatio).count() / (double) of.size();
  }

  private static double mean(List<ChestCtCase> cases, ChestCtClass c) {
    return cases.stream().filter(x -> x.diagnosis() == c).mapToDouble(ChestCtCase::targetRatio).average()
        .orElseThrow();
  }

  @Test
  void sixtyPercentCovidWithinOneScan() {
    for (int count : new int[] {10, 37, 160, 501}) {
      List<ChestCtCase> plan = ChestCtCohort.plan(count, 3);
      assertEquals(count, plan.size());
      long covid = plan.stream().filter(c -> c.diagnosis() == ChestCtClass.COVID).count();
      assertEquals(0.6 * count, covid, 1.0, count + " scans");
    }
  }

  @Test
  void sizesOverlapButCovidRunsLargerAndBothClassesSpanSmallToLarge() {
    List<ChestCtCase> plan = ChestCtCohort.plan(1000, 11);
    assertTrue(mean(plan, ChestCtClass.COVID) > 2 * mean(plan, ChestCtClass.CAP),
        "COVID-19 mean " + mean(plan, ChestCtClass.COVID) + ", CAP mean " + mean(plan, ChestCtClass.CAP));
    double covidLarge = share(plan, ChestCtClass.COVID, 0.05);
    double capLarge = share(plan, ChestCtClass.CAP, 0.05);
    assertTrue(covidLarge > 0.55 && covidLarge < 0.85, "COVID-19 share above 5%: " + covidLarge);
    assertTrue(capLarge > 0.1 && capLarge < 0.4, "CAP share above 5%: " + capLarge);
    for (ChestCtClass c : ChestCtClass.values()) {
      List<Double> r = plan.stream().filter(x -> x.diagnosis() == c).map(ChestCtCase::targetRatio).sorted().toList();
      assertTrue(r.get(0) < 0.008 && r.get(r.size() - 1) > 0.25, c + " spans " + r.get(0) + ".." + r.get(r.size() - 1));
      assertTrue(r.get(0) >= 0.003 && r.get(r.size() - 1) <= 0.5, c + " stays in 0.003..0.5");
    }
  }

  @Test
  void followUpsShareThePatientItsClassAndAnatomyAndAreNotNeighbours() {
    List<ChestCtCase> plan = ChestCtCohort.plan(200, 5);
    Map<String, List<ChestCtCase>> byPatient = plan.stream().collect(Collectors.groupingBy(ChestCtCase::patientId));
    List<List<ChestCtCase>> pairs = byPatient.values().stream().filter(l -> l.size() > 1).toList();
    assertTrue(pairs.size() >= 15 && pairs.size() <= 50, "patients with a follow-up: " + pairs.size());
    int neighbours = 0;
    for (List<ChestCtCase> pair : pairs) {
      assertEquals(2, pair.size());
      assertEquals(pair.get(0).diagnosis(), pair.get(1).diagnosis());
      assertEquals(pair.get(0).patientSeed(), pair.get(1).patientSeed());
      assertNotEquals(pair.get(0).scanSeed(), pair.get(1).scanSeed());
      assertEquals(Set.of(1, 2), Set.of(pair.get(0).scanNumber(), pair.get(1).scanNumber()));
      neighbours += Math.abs(plan.indexOf(pair.get(0)) - plan.indexOf(pair.get(1))) == 1 ? 1 : 0;
    }
    assertTrue(neighbours < pairs.size() / 3,
        neighbours + " of " + pairs.size() + " follow-ups sit next to their first scan");
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < plan.size(); i++) {
      assertEquals(String.format("case_%04d", i + 1), plan.get(i).caseId());
      assertTrue(ids.add(plan.get(i).caseId()));
      assertTrue(plan.get(i).patientId().matches("p\\d{4}"), plan.get(i).patientId());
    }
  }

  @Test
  void fourPercentOfMasksGoMissingAndThePlanDependsOnTheSeedAlone() {
    assertEquals(6, ChestCtCohort.plan(160, 7).stream().filter(ChestCtCase::infectionMaskMissing).count());
    assertEquals(0, ChestCtCohort.plan(12, 7).stream().filter(ChestCtCase::infectionMaskMissing).count());
    assertEquals(ChestCtCohort.plan(160, 7), ChestCtCohort.plan(160, 7));
    assertNotEquals(ChestCtCohort.plan(160, 7), ChestCtCohort.plan(160, 8));
    assertEquals("case_00001", ChestCtCohort.plan(10000, 1).get(0).caseId());
  }

  @Test
  void refusesAnEmptyCohort() {
    MedvisionException e = assertThrows(MedvisionException.class, () -> ChestCtCohort.plan(0, 1));
    assertTrue(e.getMessage().contains("at least one"), e.getMessage());
  }
}
