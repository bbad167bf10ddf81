package org.medvision.engine.djl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.medvision.testkit.fixtures.NativeMemory;

/**
 * The engine starts with offline mode and tracking off by default, and DJL then makes no call home and no download:
 * run in a child JVM with DJL's log at debug level (where DJL logs its EC2 metadata request and every download) and
 * without the user-level switches {@code DJL_OFFLINE} / {@code OPT_OUT_TRACKING} in its environment.
 *
 * <p>The positive control (the same log showing {@code Ec2Utils} lines when both switches are off) would contact
 * the network, which tests must not; that DJL logs the request at debug level comes from the feasibility run in
 * {@code reference/engines.md} §1.1.
 */
class OfflineStartTest {
  @Test
  void startingTheEngineContactsNothing() throws Exception {
    // Without DJL_OFFLINE and OPT_OUT_TRACKING in its environment, the engine itself must keep DJL offline.
    String out = NativeMemory.runChild(OfflineStartWorker.class,
        List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=debug"), Set.of("DJL_OFFLINE", "OPT_OUT_TRACKING"));
    assertTrue(out.contains("offline=true tracking=true"), out);
    assertTrue(out.contains("result=Tensor(float32 [2] [0.0, 2.0])"), out);
    assertTrue(out.contains("DEBUG"), "the child should log at debug level: " + out);
    for (String forbidden : List.of("Ec2Utils", "EC2", "Downloading", "publish.djl.ai")) {
      assertFalse(out.contains(forbidden), "DJL contacted the network ('" + forbidden + "'): " + out);
    }
  }
}
