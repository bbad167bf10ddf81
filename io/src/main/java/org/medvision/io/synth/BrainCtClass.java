package org.medvision.io.synth;

import java.util.Locale;

/** The diagnosis a synthetic brain CT slice shows; {@link #label()} is the manifest label. */
public enum BrainCtClass {
  /** No lesion. */
  NORMAL,
  /** One or more hyperdense bleeds: intraparenchymal blobs or a subdural crescent. */
  HEMORRHAGIC,
  /** One or more hypodense vascular-territory wedges with loss of grey/white contrast. */
  ISCHEMIC;

  /** The lower-case label used in manifests and folder names: {@code normal}, {@code hemorrhagic}, {@code ischemic}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
