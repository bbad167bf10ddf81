package org.medvision.runtime.batch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which of an input's written files fills which output's map column. */
class MapFileNamesTest {
  @Test
  void aMapIsFoundByItsOutputsNameAndTheInputsStemNotByAnotherOutputContainingIt() {
    String stem = BatchPredictor.fileStem("case_0001.nii.gz");
    assertTrue(BatchPredictor.isMapOf("attention_" + stem + ".nii.gz", "attention", stem));
    assertTrue(BatchPredictor.isMapOf("attention_" + stem + ".png", "attention", stem));
    assertTrue(BatchPredictor.isMapOf("attention_SC_1.2.3.4.dcm", "attention", stem));
    assertFalse(BatchPredictor.isMapOf("attention_map_" + stem + ".nii.gz", "attention", stem),
        "another output whose name starts with this one's");
    assertFalse(BatchPredictor.isMapOf("mask_" + stem + ".nii.gz", "attention", stem));
    assertFalse(BatchPredictor.isMapOf("attention_" + BatchPredictor.fileStem("case_0002.nii.gz") + ".nii.gz",
        "attention", stem));
  }
}
