package org.medvision.tasks.covidsa;

import java.util.List;
import java.util.SplittableRandom;
import org.medvision.api.data.ExampleTable;
import org.medvision.api.data.Sampler;
import org.medvision.api.data.Seeds;

/**
 * DSA-Net's size-balanced sampling: every (class, infection-size bin) cell gets the same expected share of an epoch,
 * so COVID-19 scans with small infections and CAP scans with large ones, rare in their classes, are seen as often as
 * the typical ones.
 *
 * <p>An epoch has as many draws as the data set has rows. Rows without a known ratio (no infection mask) keep their
 * natural share: each appears exactly once, as under {@link Sampler#UNIFORM}. Each of the other draws picks one of the
 * C·K cells uniformly, then one of its rows uniformly (with replacement): a row of cell (c, b) is drawn with
 * probability 1 / (C·K·|cell(c, b)|) per draw, papers.md §3.3's P(scan) ∝ 1 / |cell|. The epoch is then shuffled.
 * Cells are the quantile bins of {@link SizeBins}; the paper's bin definition was not retrieved, so K quantile bins
 * within each class is a proposal.
 *
 * <p>Deterministic in (seed, epoch): one {@link SplittableRandom} seeded from {@link Seeds#mix} of both makes every
 * draw. Immutable and thread-safe.
 */
final class SizeBalancedSampler implements Sampler {
  /** Separates this sampler's random stream from the uniform sampler's, which is seeded by (seed, −epoch). */
  private static final long STREAM = 0x5A3E_B1A5_ED00_0001L;

  private final String attribute;
  private final int bins;

  /**
   * A sampler over K = {@code bins} quantile bins of {@code attribute} per class.
   *
   * @throws IllegalArgumentException if {@code bins} is not positive
   */
  SizeBalancedSampler(String attribute, int bins) {
    if (bins < 1) {
      throw new IllegalArgumentException("size-balanced sampler: bins must be positive, got " + bins);
    }
    this.attribute = attribute;
    this.bins = bins;
  }

  @Override
  public String name() {
    return CovidDsaConfig.SIZE_BALANCED;
  }

  @Override
  public String description() {
    return "equal expected draws per (class, " + attribute + " quantile bin) cell, " + bins + " bins per class; scans"
        + " without " + attribute + " once each";
  }

  /**
   * The cells this sampler balances for {@code rows}.
   *
   * @throws org.medvision.api.MedvisionException as {@link SizeBins#of}
   */
  SizeBins cells(ExampleTable rows) {
    return SizeBins.of(rows, attribute, bins);
  }

  @Override
  public int[] epoch(ExampleTable rows, long seed, int epoch) {
    SizeBins sizeBins = cells(rows);
    List<int[]> cells = sizeBins.occupiedCells();
    int[] unknown = sizeBins.unknown();
    int n = rows.size();
    int balanced = n - unknown.length;
    SplittableRandom random = new SplittableRandom(Seeds.mix(Seeds.mix(seed, epoch), STREAM));
    int[] draws = new int[n];
    for (int i = 0; i < balanced; i++) {
      int[] cell = cells.get(random.nextInt(cells.size()));
      draws[i] = cell[random.nextInt(cell.length)];
    }
    System.arraycopy(unknown, 0, draws, balanced, unknown.length);
    int[] order = Seeds.shuffled(n, random.nextLong());
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = draws[order[i]];
    }
    return out;
  }

  @Override
  public String toString() {
    return "SizeBalancedSampler[" + attribute + ", " + bins + " bins]";
  }
}
