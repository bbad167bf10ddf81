package org.medvision.train;

import org.medvision.api.MedvisionException;
import org.medvision.api.engine.Device;
import org.medvision.api.training.OptimizerSpec;
import org.medvision.api.training.Precision;
import org.medvision.io.dataset.Augmentation;

/**
 * How to train: schedule, optimiser, loss options, regularisation, selection and reproducibility. Build with
 * {@link #builder()}; every value is checked when built.
 *
 * <p>Defaults (see {@link Builder}) are chosen to train small models from scratch on a few hundred examples: AdamW
 * with learning rate {@value #DEFAULT_LEARNING_RATE} (thirty times the 1e-4 proposed for fine-tuning pretrained
 * encoders: StrokeNeXt-atto from random weights on two small stroke-like sets made independently of our generator,
 * 450 images each at 64 px, reached 0.73 and 0.73 test accuracy in 12 epochs at 3e-3 against 0.67 and 0.56 at
 * 1e-3; 1e-4 learns too slowly in 15 epochs), weight decay 0.05, 1 warm-up epoch then cosine
 * decay to 0, batch 32, 15 epochs of about {@value #MIN_EPOCH_UPDATES} updates or more (a small training split is
 * passed over several times per epoch), no clipping, no accumulation, float32, seed 0, no early stopping, best
 * checkpoint by the task's default metric, augmentation on. A task may suggest other defaults
 * ({@link org.medvision.api.training.TrainingRecipe#trainerDefaults()}); loss options (label smoothing, class
 * weights, loss weights) are the task's own options.
 *
 * @param epochs epochs to train, at least 1
 * @param batchSize images per micro-batch, at least 1
 * @param optimizer AdamW or SGD
 * @param learningRate peak learning rate, positive
 * @param finalLearningRate the rate the cosine decays to, in [0, learningRate]
 * @param weightDecay decoupled (AdamW) or L2 (SGD) weight decay, on convolution and linear weights only
 * @param momentum SGD momentum in [0, 1); ignored by AdamW
 * @param warmupEpochs epochs of linear warm-up, at least 0; a warm-up as long as the run is cut short so that the
 *     last update starts the cosine (so {@code --epochs 1} works with the default)
 * @param clipNorm largest global gradient L2 norm; 0 turns clipping off
 * @param accumulationSteps micro-batches whose gradients are averaged into one update, at least 1
 * @param precision arithmetic (default float32); bf16/fp16 mixed precision is meant for CUDA and runs on the CPU
 *     only when asked for explicitly
 * @param device where to train
 * @param threads engine intra-op threads; 0 lets the engine choose
 * @param seed the seed of initialisation, shuffling, augmentation and the engine's dropout masks
 * @param patience epochs without improvement of {@code selectMetric} before stopping early; 0 never stops early
 * @param selectMetric the validation metric key that picks {@code best.safetensors} (one a metric suite of the task
 *     offers, e.g. {@code acc}, {@code auroc}, {@code loss}), or empty for the task's default
 * @param augment whether training examples are augmented ({@link org.medvision.io.dataset.Augmentation})
 * @param window the windowing of DICOM image inputs instead of the task's (e.g. {@code 40/80}, {@code file}), or
 *     empty for the task's
 * @param bnRecalibration training examples (unaugmented) over which a model with BatchNorm layers gets its running
 *     statistics recomputed before each validation ("precise BN", see {@link BatchNormRecalibration}); 0 keeps the
 *     momentum average training leaves
 * @param epochRepeats passes over the training split that make one epoch, at least 1, or {@value #AUTO_REPEATS} for
 *     enough passes (up to {@value #MAX_AUTO_REPEATS}) that an epoch holds about {@value #MIN_EPOCH_UPDATES} optimiser
 *     updates (see {@link #repeatsFor(int)})
 * @param maxShift the largest random shift of an augmented training image, as a fraction of its width and height, in
 *     [0, 0.5]; 0 for none
 */
public record TrainerConfig(int epochs, int batchSize, OptimizerSpec.Kind optimizer, double learningRate,
    double finalLearningRate, double weightDecay, double momentum, double warmupEpochs, double clipNorm,
    int accumulationSteps, Precision precision, String device, int threads, long seed, int patience,
    String selectMetric, boolean augment, String window, int bnRecalibration, int epochRepeats,
    double maxShift) {
  /** Default peak learning rate. */
  public static final double DEFAULT_LEARNING_RATE = 3e-3;
  /** Default weight decay. */
  public static final double DEFAULT_WEIGHT_DECAY = 0.05;
  /** Default epochs. */
  public static final int DEFAULT_EPOCHS = 15;
  /** Default batch size. */
  public static final int DEFAULT_BATCH = 32;
  /** Default warm-up epochs. */
  public static final double DEFAULT_WARMUP_EPOCHS = 1;
  /** Default number of training examples BatchNorm statistics are recalibrated on before each validation. */
  public static final int DEFAULT_BN_RECALIBRATION = 256;
  /** {@link #epochRepeats()} that lets the size of the training split choose. */
  public static final int AUTO_REPEATS = 0;
  /** The optimiser updates an epoch holds at least about, when {@link #epochRepeats()} is automatic. */
  public static final int MIN_EPOCH_UPDATES = 64;
  /** The most passes per epoch {@link #epochRepeats()} chooses when automatic. */
  public static final int MAX_AUTO_REPEATS = 8;

  /**
   * Checks every value.
   *
   * @throws MedvisionException naming the first value out of range
   */
  public TrainerConfig {
    check(epochs >= 1, "epochs must be at least 1, got " + epochs);
    check(batchSize >= 1, "batch size must be at least 1, got " + batchSize);
    check(optimizer != null, "an optimizer is needed");
    check(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be positive, got " + learningRate);
    check(finalLearningRate >= 0 && finalLearningRate <= learningRate,
        "final learning rate must be in [0, learning rate], got " + finalLearningRate);
    check(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be non-negative, got " + weightDecay);
    check(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got " + momentum);
    check(warmupEpochs >= 0 && Double.isFinite(warmupEpochs), "warm-up epochs must be non-negative, got "
        + warmupEpochs);
    check(clipNorm >= 0 && Double.isFinite(clipNorm), "gradient clip norm must be non-negative (0 = off), got "
        + clipNorm);
    check(accumulationSteps >= 1, "gradient accumulation steps must be at least 1, got " + accumulationSteps);
    check(precision != null, "a precision is needed");
    // Mixed precision is allowed on every device: meant for CUDA, it also runs on the CPU when asked for (to test
    // a setup there); the engine refuses it where it lacks the kernels.
    Device d = Device.parse(device == null ? "" : device);
    check(threads >= 0, "threads must be non-negative, got " + threads);
    check(patience >= 0, "patience must be non-negative (0 = no early stopping), got " + patience);
    check(bnRecalibration >= 0, "BatchNorm recalibration examples must be non-negative (0 = off), got "
        + bnRecalibration);
    check(epochRepeats >= 0, "epoch repeats must be at least 1, or 0 for automatic, got " + epochRepeats);
    Augmentation.checkedMaxShift(maxShift);
    selectMetric = selectMetric == null ? "" : selectMetric;
    window = window == null ? "" : window;
    device = d.toString();
  }

  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new MedvisionException(message);
    }
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.epochs = epochs;
    b.batchSize = batchSize;
    b.optimizer = optimizer;
    b.learningRate = learningRate;
    b.finalLearningRate = finalLearningRate;
    b.weightDecay = weightDecay;
    b.momentum = momentum;
    b.warmupEpochs = warmupEpochs;
    b.clipNorm = clipNorm;
    b.accumulationSteps = accumulationSteps;
    b.precision = precision;
    b.device = device;
    b.threads = threads;
    b.seed = seed;
    b.patience = patience;
    b.selectMetric = selectMetric;
    b.augment = augment;
    b.window = window;
    b.bnRecalibration = bnRecalibration;
    b.epochRepeats = epochRepeats;
    b.maxShift = maxShift;
    return b;
  }

  /**
   * Passes over the training split per epoch, for a pass of {@code updatesPerPass} optimiser updates: the configured
   * number, or when automatic the whole number of passes closest to {@value #MIN_EPOCH_UPDATES} updates, between 1
   * and {@value #MAX_AUTO_REPEATS}. A few hundred images make passes of about ten updates at batch 32, and 15 such
   * epochs are too few updates for a network trained from scratch to learn: a ConvNeXt from random weights first
   * learns what is easy (a bright lesion) and then sits on a plateau for several hundred updates before it finds a
   * subtle one (a dark wedge on 240 training images: 600-900 updates, in PyTorch as here). Repeating the pass keeps
   * "epoch" the unit of the schedule, of validation and of checkpoints while giving each one enough updates. From
   * about 1,370 images at batch 32 an epoch is one pass, as it always was; the cap keeps a smoke run on a handful of
   * images short.
   */
  public int repeatsFor(int updatesPerPass) {
    if (epochRepeats != AUTO_REPEATS) {
      return epochRepeats;
    }
    long closest = Math.round((double) MIN_EPOCH_UPDATES / Math.max(1, updatesPerPass));
    return (int) Math.max(1, Math.min(MAX_AUTO_REPEATS, closest));
  }

  /** The device parsed. */
  public Device parsedDevice() {
    return Device.parse(device);
  }

  /** The optimiser with its hyper-parameters: PyTorch's AdamW betas and ε, or SGD with {@link #momentum()}. */
  public OptimizerSpec optimizerSpec() {
    return optimizer == OptimizerSpec.Kind.ADAMW ? OptimizerSpec.adamW(weightDecay)
        : OptimizerSpec.sgd(momentum, weightDecay, false);
  }

  /** Collects settings; {@link #build()} checks them. */
  public static final class Builder {
    private int epochs = DEFAULT_EPOCHS;
    private int batchSize = DEFAULT_BATCH;
    private OptimizerSpec.Kind optimizer = OptimizerSpec.Kind.ADAMW;
    private double learningRate = DEFAULT_LEARNING_RATE;
    private double finalLearningRate;
    private double weightDecay = DEFAULT_WEIGHT_DECAY;
    private double momentum = 0.9;
    private double warmupEpochs = DEFAULT_WARMUP_EPOCHS;
    private double clipNorm;
    private int accumulationSteps = 1;
    private Precision precision = Precision.FLOAT32;
    private String device = "cpu";
    private int threads;
    private long seed;
    private int patience;
    private String selectMetric = "";
    private boolean augment = true;
    private String window = "";
    private int bnRecalibration = DEFAULT_BN_RECALIBRATION;
    private int epochRepeats = AUTO_REPEATS;
    private double maxShift = Augmentation.DEFAULT_MAX_SHIFT;

    private Builder() {}

    /** Epochs (default {@value TrainerConfig#DEFAULT_EPOCHS}). */
    public Builder epochs(int v) {
      epochs = v;
      return this;
    }

    /** Micro-batch size (default {@value TrainerConfig#DEFAULT_BATCH}). */
    public Builder batchSize(int v) {
      batchSize = v;
      return this;
    }

    /** Optimiser (default AdamW). */
    public Builder optimizer(OptimizerSpec.Kind v) {
      optimizer = v;
      return this;
    }

    /** Peak learning rate (default {@value TrainerConfig#DEFAULT_LEARNING_RATE}). */
    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    /** The rate the cosine ends at (default 0). */
    public Builder finalLearningRate(double v) {
      finalLearningRate = v;
      return this;
    }

    /** Weight decay (default {@value TrainerConfig#DEFAULT_WEIGHT_DECAY}). */
    public Builder weightDecay(double v) {
      weightDecay = v;
      return this;
    }

    /** SGD momentum (default 0.9). */
    public Builder momentum(double v) {
      momentum = v;
      return this;
    }

    /** Warm-up epochs; fractions allowed (default {@value TrainerConfig#DEFAULT_WARMUP_EPOCHS}). */
    public Builder warmupEpochs(double v) {
      warmupEpochs = v;
      return this;
    }

    /** Largest global gradient norm; 0 = off (default 0). */
    public Builder clipNorm(double v) {
      clipNorm = v;
      return this;
    }

    /** Micro-batches per update (default 1). */
    public Builder accumulationSteps(int v) {
      accumulationSteps = v;
      return this;
    }

    /** Arithmetic (default float32). */
    public Builder precision(Precision v) {
      precision = v;
      return this;
    }

    /** Device, e.g. {@code cpu} or {@code cuda:0} (default cpu). */
    public Builder device(String v) {
      device = v;
      return this;
    }

    /** Engine intra-op threads; 0 = engine's choice (default 0). */
    public Builder threads(int v) {
      threads = v;
      return this;
    }

    /** Seed (default 0). */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Early-stopping patience in epochs; 0 = off (default 0). */
    public Builder patience(int v) {
      patience = v;
      return this;
    }

    /** Best-checkpoint metric (default validation accuracy). */
    public Builder selectMetric(String v) {
      selectMetric = v;
      return this;
    }

    /** Augmentation on or off (default on). */
    public Builder augment(boolean v) {
      augment = v;
      return this;
    }

    /** The windowing of DICOM image inputs instead of the task's; empty for the task's. */
    public Builder window(String v) {
      window = v;
      return this;
    }

    /**
     * Training examples BatchNorm statistics are recalibrated on before each validation; 0 = off (default
     * {@value TrainerConfig#DEFAULT_BN_RECALIBRATION}).
     */
    public Builder bnRecalibration(int v) {
      bnRecalibration = v;
      return this;
    }

    /**
     * Passes over the training split per epoch; {@value TrainerConfig#AUTO_REPEATS} (the default) chooses from the
     * split's size ({@link TrainerConfig#repeatsFor(int)}).
     */
    public Builder epochRepeats(int v) {
      epochRepeats = v;
      return this;
    }

    /**
     * The largest random shift of an augmented training image, as a fraction of its width and height; 0 for none
     * (default {@value Augmentation#DEFAULT_MAX_SHIFT}).
     */
    public Builder maxShift(double v) {
      maxShift = v;
      return this;
    }

    /**
     * The configuration.
     *
     * @throws MedvisionException naming the first value out of range
     */
    public TrainerConfig build() {
      return new TrainerConfig(epochs, batchSize, optimizer, learningRate, finalLearningRate, weightDecay, momentum,
          warmupEpochs, clipNorm, accumulationSteps, precision, device, threads, seed, patience, selectMetric, augment,
          window, bnRecalibration, epochRepeats, maxShift);
    }
  }
}
