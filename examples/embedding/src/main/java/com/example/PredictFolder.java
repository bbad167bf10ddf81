package com.example;

import java.nio.file.Path;
import java.util.List;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Engine;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.io.ProgressListener;
import org.medvision.runtime.ModelRequest;
import org.medvision.runtime.ModelSource;
import org.medvision.runtime.PredictionInput;
import org.medvision.runtime.PredictionInputs;
import org.medvision.runtime.PredictionOptions;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Provenance;
import org.medvision.runtime.StudyPrediction;

/** Classifies every image, DICOM series and NIfTI volume under a folder with a checkpoint or an ensemble.json. */
public final class PredictFolder {
  private PredictFolder() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: PredictFolder CHECKPOINT SCANS");
      System.exit(2);
    }
    for (StudyPrediction.Outcome o : predict(Path.of(args[0]), Path.of(args[1]))) {
      ClassProbabilities p = o.result().first(ClassProbabilities.class).orElseThrow();
      System.out.println(o.input().label() + ": " + p.topLabel() + " " + p.probability(p.top()));
    }
  }

  public static List<StudyPrediction.Outcome> predict(Path checkpoint, Path scans) {
    Medvision mv = Medvision.builder().build();                   // discovers tasks and engines once
    // A checkpoint records its task and every option; an ensemble.json loads the same way.
    ModelSource model = ModelSource.load(mv, checkpoint, ModelRequest.none());
    List<PredictionInput> inputs = PredictionInputs.collect(model.task().data(), List.of(scans),
        System.err::println, ProgressListener.NONE);               // images, DICOM trees, NIfTI volumes
    CompileOptions compile = CompileOptions.defaults();
    try (Engine engine = mv.engine("onnx");                        // the caller closes the engine
        Predictor predictor = new Predictor(engine, model, compile, 8)) {
      // PredictionOptions.none() writes no files; its other fields name folders for SRs, overlays and maps.
      return new StudyPrediction(predictor, PredictionOptions.none(), Provenance.of(model, engine, compile))
          .run(inputs, ProgressListener.NONE, System.err::println);
    }
  }
}
