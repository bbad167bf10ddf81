package org.medvision.runtime.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InputIdSetTest {
  @Test
  void holdsEveryIdAddedThroughGrowthAndNoOther() {
    InputIdSet set = new InputIdSet();
    for (int i = 0; i < 5000; i++) {
      assertTrue(set.add("dir/img" + i + ".png"));
    }
    assertFalse(set.add("dir/img17.png"), "added twice");
    assertEquals(5000, set.size());
    for (int i = 0; i < 5000; i++) {
      assertTrue(set.contains("dir/img" + i + ".png"), "img" + i);
      assertFalse(set.contains("dir/img" + i + ".png#frame=2"), "img" + i + " frame 2");
    }
  }

  @Test
  void fileStemsAreReadableAndDifferWhereIdsDifferOnlyInReplacedCharacters() {
    String a = BatchPredictor.fileStem("a/b.png");
    String b = BatchPredictor.fileStem("a_b.png");
    assertTrue(a.startsWith("a_b.png-"), a);
    assertTrue(!a.equals(b), a + " vs " + b);
  }
}
