package org.medvision.api.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hidden-cache condition read from a /proc/cpuinfo and a cpu0/cache directory laid out as Linux does. */
class CpuCacheReportTest {
  @TempDir
  Path dir;

  private Path cpuinfo(String vendor) throws IOException {
    return Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: " + vendor
        + "\ncpu family\t: 26\nmodel name\t: AMD EPYC\n");
  }

  @Test
  void amdWithoutCacheEntriesIsHidden() throws IOException {
    assertTrue(CpuCacheReport.amdCachesHidden(cpuinfo("AuthenticAMD"), dir.resolve("missing")));
    Path empty = Files.createDirectory(dir.resolve("cache"));
    Files.writeString(empty.resolve("uevent"), "");
    assertTrue(CpuCacheReport.amdCachesHidden(cpuinfo("AuthenticAMD"), empty));
  }

  @Test
  void amdWithCacheEntriesOrIntelOrNoCpuinfoIsNot() throws IOException {
    Path cache = Files.createDirectories(dir.resolve("cache/index0"));
    assertFalse(CpuCacheReport.amdCachesHidden(cpuinfo("AuthenticAMD"), cache.getParent()));
    assertFalse(CpuCacheReport.amdCachesHidden(cpuinfo("GenuineIntel"), dir.resolve("missing")));
    assertFalse(CpuCacheReport.amdCachesHidden(dir.resolve("no-cpuinfo"), dir.resolve("missing")));
  }
}
