package org.medvision.api.data;

import org.medvision.api.registry.Named;

/**
 * Chooses the examples of one training epoch and their order. Deterministic in (seed, epoch), so a resumed run
 * replays the same epochs. An epoch may repeat examples and need not have the data set's size (the trainer runs
 * whatever the sampler returns).
 */
public interface Sampler extends Named {
  /**
   * The example indices of epoch {@code epoch} (1-based).
   *
   * @param rows the training examples
   * @param seed the run seed
   * @throws org.medvision.api.MedvisionException if the data cannot be sampled this way (e.g. a bin with no cases),
   *     naming the problem
   */
  int[] epoch(ExampleTable rows, long seed, int epoch);

  /** Every example once per epoch in a fresh random order: a shuffle seeded by (seed, −epoch). */
  Sampler UNIFORM = new Sampler() {
    @Override
    public String name() {
      return "uniform";
    }

    @Override
    public String description() {
      return "every example once per epoch, shuffled";
    }

    @Override
    public int[] epoch(ExampleTable rows, long seed, int epoch) {
      return Seeds.shuffled(rows.size(), Seeds.mix(seed, -epoch));
    }
  };
}
