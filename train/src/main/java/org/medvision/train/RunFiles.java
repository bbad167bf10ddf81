package org.medvision.train;

import java.util.List;

/** The files a training run writes into its run directory. */
public final class RunFiles {
  /** Weights (parameters and BatchNorm running statistics) of the best epoch. */
  public static final String BEST_WEIGHTS = "best.safetensors";
  /** Sidecar of {@link #BEST_WEIGHTS}: a {@link CheckpointInfo} as JSON. */
  public static final String BEST_SIDECAR = "best.json";
  /** Weights at the end of the latest epoch, or at the interruption. */
  public static final String LAST_WEIGHTS = "last.safetensors";
  /** Sidecar of {@link #LAST_WEIGHTS}; written last, so it is the commit point of a checkpoint. */
  public static final String LAST_SIDECAR = "last.json";
  /** Optimiser state belonging to {@link #LAST_WEIGHTS}, for resuming. */
  public static final String LAST_OPTIMIZER = "last.optimizer.safetensors";
  /** Per-epoch metrics as CSV. */
  public static final String LOG = "training.csv";

  /** Every file name above. */
  public static final List<String> ALL = List.of(BEST_WEIGHTS, BEST_SIDECAR, LAST_WEIGHTS, LAST_SIDECAR,
      LAST_OPTIMIZER, LOG);

  private RunFiles() {}
}
