package org.medvision.api.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.MedvisionException;

class NamedRegistryTest {
  private record Plugin(String name) implements Named {}

  @Test
  void lookupByNameInDiscoveryOrder() {
    NamedRegistry<Plugin> r = NamedRegistry.of("engine", "", List.of(new Plugin("onnx"), new Plugin("djl")));
    assertEquals(List.of("onnx", "djl"), r.names());
    assertEquals("djl", r.get("djl").name());
    assertTrue(r.find("tensorflow").isEmpty());
  }

  @Test
  void unknownNameListsTheNamesThatExistAndTheHint() {
    NamedRegistry<Plugin> r = NamedRegistry.of("engine", "Add an engine module", List.of(new Plugin("onnx")));
    UnknownNameException e = assertThrows(UnknownNameException.class, () -> r.get("tensorflow"));
    assertEquals("unknown engine 'tensorflow'; available: onnx. Add an engine module", e.getMessage());
    assertEquals(List.of("onnx"), e.available());
  }

  @Test
  void duplicateAndInvalidNamesAreErrors() {
    MedvisionException dup = assertThrows(MedvisionException.class,
        () -> NamedRegistry.of("task", "", List.of(new Plugin("a"), new Plugin("a"))));
    assertTrue(dup.getMessage().contains("two task plugins are named 'a'"), dup.getMessage());
    assertThrows(MedvisionException.class, () -> NamedRegistry.of("task", "", List.of(new Plugin("Bad Name"))));
  }

  @Test
  void serviceLoaderDiscoveryWithNoProvidersIsEmpty() {
    NamedRegistry<Named> r = NamedRegistry.discover(Named.class, getClass().getClassLoader(), "thing", "");
    assertTrue(r.names().isEmpty());
  }
}
