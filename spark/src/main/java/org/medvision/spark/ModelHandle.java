package org.medvision.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.medvision.api.engine.Device;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Provenance;
import org.medvision.runtime.batch.ModelSharing;

/**
 * What an executor needs to find, check and run a model, small enough to travel with every task: where the model file
 * is, its identity (the SHA-256 of its weights and configuration, computed once on the driver), the engine and
 * device to compile it for, and how its partitions get their compiled copies.
 *
 * @param location the model file as the user gave it (a local path, a Hadoop URI, or a name shipped with the job)
 * @param identity SHA-256 over the task configuration and the weights' SHA-256 (see {@link #identityOf})
 * @param engine the engine's name
 * @param device the device, as {@link Device#parse} reads it
 * @param batchSize examples per engine call
 * @param sharing one compiled copy for all partitions, or one per partition running at once
 */
record ModelHandle(String location, String identity, String engine, String device, int batchSize,
    ModelSharing sharing) implements Serializable {
  private static final long serialVersionUID = 2L;

  /** A handle sharing copies as the local runner does on {@code engine} ({@link ModelSharing#defaultFor}). */
  ModelHandle(String location, String identity, String engine, String device, int batchSize) {
    this(location, identity, engine, device, batchSize, ModelSharing.defaultFor(engine));
  }

  /**
   * The per-JVM cache key: everything a compiled copy is made with. The batch size is part of it because a compiled
   * {@link org.medvision.runtime.Predictor} splits its inputs into batches of the size it was made with, so a job
   * asking for another size must not run on a copy cached by an earlier job.
   */
  record Key(String identity, String engine, String device, int batchSize, ModelSharing sharing) {}

  /** The cache key. */
  Key key() {
    return new Key(identity, engine, device, batchSize, sharing);
  }

  /** The identity of a loaded model: its configuration and weights, not where its file happens to lie. */
  static String identityOf(ModelSource model) {
    String text = model.describe() + "\n" + Provenance.weightsSha256(model);
    return WeightsDigest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
