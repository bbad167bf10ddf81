package org.medvision.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class DeviceTest {
  @Test
  void parsesTheDocumentedForms() {
    assertEquals(Device.CPU, Device.parse("cpu"));
    assertEquals(Device.AUTO, Device.parse(" AUTO "));
    assertEquals(Device.cuda(0), Device.parse("cuda"));
    assertEquals(Device.cuda(3), Device.parse("cuda:3"));
    assertEquals("cuda:3", Device.cuda(3).toString());
  }

  @Test
  void rejectsOtherFormsNamingTheAcceptedOnes() {
    for (String bad : new String[] {"cuda:", "cuda:-1", "cuda:x", "tpu"}) {
      MedvisionException e = assertThrows(MedvisionException.class, () -> Device.parse(bad));
      assertTrue(e.getMessage().contains("use cpu, cuda:N"), e.getMessage());
    }
  }
}
