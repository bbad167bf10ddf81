package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Loading the engine leaves NNPACK on where it starts and switches it off where it cannot, so that libtorch stops
 * logging "Could not initialize NNPACK!" before every convolution (seen on a virtual machine whose CPU hides its
 * cache sizes, hundreds of lines an epoch).
 */
class NnpackSwitchTest {
  @Test
  void nnpackIsOnExactlyWhereItCanStart() {
    DjlRuntime.load();
    LibtorchContext context = LibtorchContext.bind();
    assertEquals(context.nnpackAvailable(), context.nnpackEnabled());
  }
}
