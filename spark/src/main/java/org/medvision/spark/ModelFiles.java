package org.medvision.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.medvision.api.MedvisionException;
import org.medvision.runtime.EnsembleFile;
import org.medvision.runtime.ModelCheckpoint;

/**
 * Makes a model file local on the driver or an executor, looking in this order: the path itself when it is local and
 * exists (a shared mount); the files shipped with {@code spark-submit --files} or {@code SparkContext.addFile}
 * ({@link SparkFiles}), by file name; a copy from its Hadoop file system ({@code hdfs://}, {@code s3a://}, ...). A
 * checkpoint travels with its sidecar: {@code best.safetensors} with {@code best.json}, or a sidecar with the weights
 * file it names.
 */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * The model at {@code location} as a local file.
   *
   * @param scratch where copies from remote file systems go
   * @param where the machine, for messages (e.g. {@code executor 2 on host-a})
   * @throws MedvisionException naming the location and the machine when the model cannot be found
   */
  static Path local(String location, Configuration conf, Path scratch, String where) {
    if (RemoteFiles.isLocal(location)) {
      Path path = RemoteFiles.localPath(location);
      if (Files.isRegularFile(path)) {
        return path;
      }
      Path shipped = shipped(RemoteFiles.fileName(location));
      if (shipped != null) {
        return shipped;
      }
      throw new MedvisionException("model file " + location + " not found on " + where + ": give a path every "
          + "executor can read (a shared mount, hdfs://..., s3a://...) or ship the checkpoint and its sidecar with "
          + "spark-submit --files best.safetensors,best.json");
    }
    Path shipped = shipped(RemoteFiles.fileName(location));
    if (shipped != null) {
      return shipped;
    }
    Path copy = RemoteFiles.local(location, scratch, conf);
    String name = copy.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".json")) {
      if (EnsembleFile.isEnsemble(copy)) {
        throw new MedvisionException("ensemble file " + location + " is on a remote file system, and its members "
            + "are not fetched from there: put the ensemble and its members' run folders on a path every executor "
            + "can read (a shared mount), or ship them with spark-submit --archives");
      }
      String weights = ModelCheckpoint.read(copy).weightsFile().getFileName().toString();
      RemoteFiles.local(RemoteFiles.sibling(location, weights), scratch, conf);
    } else {
      String stem = name.endsWith(".safetensors") ? copy.getFileName().toString()
          .substring(0, name.length() - ".safetensors".length()) : copy.getFileName().toString();
      String sidecar = RemoteFiles.sibling(location, stem + ".json");
      if (RemoteFiles.isFile(sidecar, conf)) {
        RemoteFiles.local(sidecar, scratch, conf);
      }
    }
    return copy;
  }

  /** The file called {@code name} among those shipped to this JVM with the job, or null. */
  private static Path shipped(String name) {
    if (SparkEnv.get() == null) {
      return null;
    }
    Path path = Path.of(SparkFiles.get(name));
    return Files.isRegularFile(path) ? path : null;
  }
}
