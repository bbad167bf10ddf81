package org.medvision.tasks.covidsa;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.medvision.api.data.ExampleTable;

/** An {@link ExampleTable} of given classes and infection ratios (NaN for a scan without one), for the tests. */
final class TestTable implements ExampleTable {
  private final int[] labels;
  private final double[] ratios;

  TestTable(int[] labels, double[] ratios) {
    this.labels = labels.clone();
    this.ratios = ratios.clone();
  }

  /**
   * The imbalanced data the sampler exists for: 300 CAP scans whose ratios are mostly small (r = 0.4·u³), 100 COVID-19
   * scans whose ratios are mostly large (r = 0.05 + 0.4·√u), and 20 scans of each class without a ratio; 440 rows,
   * drawn from seed 1.
   */
  static TestTable imbalanced() {
    SplittableRandom r = new SplittableRandom(1);
    List<Integer> labels = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      labels.add(0);
      ratios.add(0.4 * Math.pow(r.nextDouble(), 3));
    }
    for (int i = 0; i < 100; i++) {
      labels.add(1);
      ratios.add(0.05 + 0.4 * Math.sqrt(r.nextDouble()));
    }
    for (int i = 0; i < 40; i++) {
      labels.add(i % 2);
      ratios.add(Double.NaN);
    }
    return new TestTable(labels.stream().mapToInt(Integer::intValue).toArray(),
        ratios.stream().mapToDouble(Double::doubleValue).toArray());
  }

  @Override
  public int size() {
    return labels.length;
  }

  @Override
  public String id(int row) {
    return "scan-" + row;
  }

  @Override
  public String patient(int row) {
    return "patient-" + row;
  }

  @Override
  public int[] labelsOf(int row, String field) {
    return label(row) < 0 ? new int[0] : new int[] {label(row)};
  }

  @Override
  public int label(int row) {
    return labels[row];
  }

  @Override
  public List<String> classes() {
    return CovidDsaLabels.CLASSES;
  }

  @Override
  public double attribute(int row, String name) {
    return name.equals(CovidDsaSchema.INFECTION_RATIO) ? ratios[row] : Double.NaN;
  }

  @Override
  public String where(int row) {
    return "manifest.csv line " + (row + 2);
  }
}
