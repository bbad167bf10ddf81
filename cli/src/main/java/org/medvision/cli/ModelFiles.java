package org.medvision.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.medvision.api.MedvisionException;
import org.medvision.api.RegularFiles;
import org.medvision.api.graph.io.GraphFile;
import org.medvision.api.graph.io.GraphFiles;
import org.medvision.engine.onnx.importer.ImportedModel;
import org.medvision.engine.onnx.importer.OnnxImporter;

/** Loads a model file for {@code predict --model}: an ONNX model (imported into the IR) or one of our .graph files. */
final class ModelFiles {
  private ModelFiles() {}

  /**
   * Reads {@code file}, choosing the reader by its extension ({@code .onnx} or {@code .graph}).
   *
   * @throws MedvisionException naming the file when it is missing, has another extension, or its reader fails
   */
  static GraphFile load(Path file) {
    RegularFiles.require(file, "model file", "give the .onnx or .graph file itself");
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".onnx")) {
      ImportedModel m = OnnxImporter.read(file);
      return new GraphFile(m.graph(), m.weights());
    }
    if (name.endsWith(GraphFiles.EXTENSION)) {
      return GraphFiles.read(file);
    }
    throw new MedvisionException("model file " + file + " is neither .onnx nor " + GraphFiles.EXTENSION
        + "; 'medvision import' turns an ONNX model into a .graph file");
  }
}
