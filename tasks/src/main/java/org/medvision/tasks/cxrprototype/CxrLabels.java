package org.medvision.tasks.cxrprototype;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.medvision.api.data.LabelField;

/** The 14 findings of NIH ChestX-ray14, in the data set's order, and the label field that reads them. */
final class CxrLabels {
  /** The findings as the data set writes them in {@code Finding Labels}. */
  static final List<String> CLASSES = List.of("Atelectasis", "Cardiomegaly", "Effusion", "Infiltration", "Mass",
      "Nodule", "Pneumonia", "Pneumothorax", "Consolidation", "Edema", "Emphysema", "Fibrosis", "Pleural_Thickening",
      "Hernia");
  /** The example key and manifest column of the labels. */
  static final String FIELD = "labels";
  /** What ChestX-ray14 writes for an image without any of the findings. */
  static final String NO_FINDING = "No Finding";

  private CxrLabels() {}

  /** The multi-label field: {@code |}-separated findings, {@value #NO_FINDING} sets none. */
  static LabelField field() {
    return new LabelField(FIELD, FIELD, CLASSES, Map.of("infiltrate", "Infiltration", "effusions", "Effusion",
        "pleural-effusion", "Effusion"), Set.of(LabelField.canonical(NO_FINDING)), true, "|");
  }

  /** The text a label is encoded from: its name with {@code _} read as a space, e.g. {@code Pleural Thickening}. */
  static String text(String label, String template) {
    return template.replace("{label}", label.replace('_', ' '));
  }
}
