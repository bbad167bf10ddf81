package org.medvision.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import org.medvision.api.engine.Device;
import org.medvision.api.weights.WeightsDigest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.Provenance;

/**
 * What an executor needs to find, check and run a model, small enough to travel with every task: where the model file
 * is, its identity (the SHA-256 of its weights and configuration, computed once on the driver), and the engine and
 * device to compile it for.
 *
 * @param location the model file as the user gave it (a local path, a Hadoop URI, or a name shipped with the job)
 * @param identity SHA-256 over the task configuration and the weights' SHA-256 (see {@link #identityOf})
 * @param engine the engine's name
 * @param device the device, as {@link Device#parse} reads it
 * @param batchSize examples per engine call
 */
record ModelHandle(String location, String identity, String engine, String device, int batchSize)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The per-JVM cache key: one compiled model per identity, engine and device. */
  record Key(String identity, String engine, String device) {}

  /** The cache key. */
  Key key() {
    return new Key(identity, engine, device);
  }

  /** The identity of a loaded model: its configuration and weights, not where its file happens to lie. */
  static String identityOf(ModelSource model) {
    String text = model.describe() + "\n" + Provenance.weightsSha256(model);
    return WeightsDigest.sha256(text.getBytes(StandardCharsets.UTF_8));
  }
}
