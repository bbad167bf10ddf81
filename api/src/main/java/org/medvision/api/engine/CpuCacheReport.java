package org.medvision.api.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.stream.Stream;

/**
 * Whether this machine is an AMD processor whose cache sizes oneDNN cannot read, seen through what Linux itself
 * found.
 *
 * <p>oneDNN (inside TensorFlow and libtorch) sizes its JIT kernels from the cache sizes its bundled Xbyak reads with
 * CPUID; on AMD it reads leaf {@code 0x8000001D}. Some hypervisors (Firecracker on AMD EPYC, for one) return zeros
 * there, every cache then looks one byte large, and oneDNN's backward-data convolutions leave part of the gradient
 * unwritten. Java cannot execute CPUID, but the Linux kernel builds {@code /sys/devices/system/cpu/cpu0/cache/index*}
 * from the same leaf on such processors, so an AMD processor (per {@code /proc/cpuinfo}) with no cache entries there
 * is the same condition. Elsewhere (another OS, Intel, readable caches) the answer is false.
 */
public final class CpuCacheReport {
  private CpuCacheReport() {}

  /** True on an AMD processor whose per-core caches Linux could not enumerate. */
  public static boolean amdCachesHidden() {
    return amdCachesHidden(Paths.get("/proc/cpuinfo"), Paths.get("/sys/devices/system/cpu/cpu0/cache"));
  }

  static boolean amdCachesHidden(Path cpuinfo, Path cacheDir) {
    try (Stream<String> lines = Files.lines(cpuinfo)) {
      boolean amd = lines.filter(l -> l.startsWith("vendor_id")).findFirst()
          .map(l -> l.contains("AuthenticAMD")).orElse(false);
      if (!amd) {
        return false;
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (!Files.isDirectory(cacheDir)) {
      return true;
    }
    try (Stream<Path> entries = Files.list(cacheDir)) {
      return entries.noneMatch(p -> p.getFileName().toString().startsWith("index"));
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
