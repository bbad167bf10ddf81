package org.medvision.tasks.cxrprototype;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;
import org.medvision.tasks.common.text.TinyBertFolder;
import org.medvision.testkit.task.TaskConformanceSuite;

/**
 * The shared task conformance suite on ConvNeXt-atto at 32x32 with a small metric space, trained with either loss
 * against a tiny random BERT folder (whose hidden size, 32, text_dim=auto reads from its config.json).
 */
class CxrPrototypeTaskConformanceTest extends TaskConformanceSuite {
  private static final CxrPrototypeTaskProvider PROVIDER = new CxrPrototypeTaskProvider();

  @Override
  protected TaskProvider provider() {
    return PROVIDER;
  }

  @Override
  protected List<TaskConfig> smallConfigs() {
    Path bert;
    try {
      bert = TinyBertFolder.write(Files.createTempDirectory("tiny-bert"), 5);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    String folder = bert.toString();
    return List.of(
        PROVIDER.configure("atto", Map.of("image_size", "32", "embed_dim", "16", "text_encoder", folder)),
        PROVIDER.configure("atto", Map.of("image_size", "32", "embed_dim", "16", "text_encoder", folder,
            "loss", "bce")));
  }
}
