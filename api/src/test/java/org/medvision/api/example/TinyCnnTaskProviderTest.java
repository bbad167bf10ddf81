package org.medvision.api.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.graph.GraphStats;
import org.medvision.api.registry.NamedRegistry;
import org.medvision.api.registry.UnknownNameException;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskProvider;
import org.medvision.api.tensor.Shape;

class TinyCnnTaskProviderTest {
  @Test
  void isDiscoveredThroughItsServicesFile() {
    NamedRegistry<TaskProvider> tasks =
        NamedRegistry.discover(TaskProvider.class, getClass().getClassLoader(), "task", "");
    assertEquals(List.of("tiny-cnn"), tasks.names());
  }

  @Test
  void buildsTheDocumentedGraph() {
    TaskProvider p = new TinyCnnTaskProvider();
    Task task = p.create(p.defaultConfig().withVariant("16"));
    assertEquals(Shape.of(-1, 2), task.graph().outputs().get(0).shape());
    // conv 1->16 (144) + conv 16->32 (4608) + linear 32->2 (64 + 2), counted by hand.
    assertEquals(144 + 4608 + 66, GraphStats.of(task.graph(), 1).parameters());
  }

  @Test
  void unknownVariantListsTheValidOnes() {
    TaskProvider p = new TinyCnnTaskProvider();
    UnknownNameException e = assertThrows(UnknownNameException.class,
        () -> p.create(p.defaultConfig().withVariant("64")));
    assertEquals(List.of("8", "16"), e.available());
  }
}
