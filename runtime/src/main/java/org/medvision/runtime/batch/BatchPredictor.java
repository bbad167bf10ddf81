package org.medvision.runtime.batch;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Prediction;
import org.medvision.runtime.PredictionInput;
import org.medvision.runtime.PredictionOptions;
import org.medvision.runtime.Predictor;
import org.medvision.runtime.Provenance;
import org.medvision.runtime.StudyPrediction;

/**
 * Turns batch items into result rows with one {@link Predictor}: the items of a call are decoded and predicted exactly
 * as {@code predict} does ({@link StudyPrediction}), as one batch; when that batch fails, each item is predicted on its
 * own, so a damaged file among good ones costs one error row and the others keep their predictions. Unreadable items
 * become error rows without being predicted.
 *
 * <p>Maps and generated images are written to the map folder, when one is given, named after the item's id (so a
 * resumed job names them as the first run would). One instance per thread; several may share a {@link Predictor}
 * whose engine runs compiled models concurrently (all built-in engines do).
 */
public final class BatchPredictor {
  private final Predictor predictor;
  private final PredictionSchema schema;
  private final String modelSha256;
  private final String engine;
  private final StudyPrediction prediction;
  private final Map<PredictionInput, String> names = new IdentityHashMap<>();

  /**
   * A predictor of rows.
   *
   * @param engine the engine's name, recorded in every row
   * @param mapFolder where maps go, or null to write none
   */
  public BatchPredictor(Predictor predictor, PredictionSchema schema, String engine, Path mapFolder) {
    this.predictor = predictor;
    this.schema = schema;
    this.engine = engine;
    this.modelSha256 = Provenance.weightsSha256(predictor.model());
    Map<String, Object> provenance = new LinkedHashMap<>();
    provenance.put("engine", engine);
    this.prediction = new StudyPrediction(predictor, new PredictionOptions(null, null, mapFolder, null, null),
        provenance, in -> names.get(in));
  }

  /** The schema of the rows. */
  public PredictionSchema schema() {
    return schema;
  }

  /** One row per item, in order; never throws for a bad input. */
  public List<PredictionRow> predict(List<BatchItem> items) {
    List<BatchItem> readable = new ArrayList<>();
    for (BatchItem i : items) {
      if (!i.isError()) {
        readable.add(i);
      }
    }
    Map<BatchItem, PredictionRow> done = new IdentityHashMap<>();
    if (!readable.isEmpty()) {
      try {
        List<StudyPrediction.Outcome> outcomes = run(readable);
        for (int k = 0; k < readable.size(); k++) {
          done.put(readable.get(k), row(readable.get(k), outcomes.get(k)));
        }
      } catch (RuntimeException batchFailed) {
        for (BatchItem i : readable) {
          done.put(i, predictAlone(i));
        }
      }
    }
    List<PredictionRow> out = new ArrayList<>(items.size());
    for (BatchItem i : items) {
      out.add(i.isError() ? error(i, i.error()) : done.get(i));
    }
    return out;
  }

  /**
   * Predicts one readable item, letting its failure through: {@link org.medvision.runtime.UnreadableInputException}
   * when the input cannot be read, any other exception when the model fails on it.
   */
  public PredictionRow predictOrThrow(BatchItem item) {
    if (item.isError()) {
      throw new IllegalArgumentException("item " + item.inputId() + " is unreadable: " + item.error());
    }
    return row(item, run(List.of(item)).get(0));
  }

  /**
   * One row per item, in order, the readable ones predicted in one batch whose failure is let through (as
   * {@link #predictOrThrow(BatchItem)}); unreadable items become error rows.
   */
  public List<PredictionRow> predictOrThrow(List<BatchItem> items) {
    List<BatchItem> readable = items.stream().filter(i -> !i.isError()).toList();
    List<StudyPrediction.Outcome> outcomes = readable.isEmpty() ? List.of() : run(readable);
    List<PredictionRow> out = new ArrayList<>(items.size());
    int k = 0;
    for (BatchItem i : items) {
      out.add(i.isError() ? error(i, i.error()) : row(i, outcomes.get(k++)));
    }
    return out;
  }

  /** The error row of {@code item}, saying {@code message}. */
  public PredictionRow failedRow(BatchItem item, String message) {
    return error(item, message);
  }

  private PredictionRow predictAlone(BatchItem item) {
    try {
      return predictOrThrow(item);
    } catch (RuntimeException e) {
      return error(item, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private List<StudyPrediction.Outcome> run(List<BatchItem> items) {
    List<PredictionInput> inputs = new ArrayList<>(items.size());
    names.clear();
    for (BatchItem i : items) {
      inputs.add(i.input());
      names.put(i.input(), fileStem(i.inputId()));
    }
    return prediction.run(inputs, (done, total) -> { }, warning -> { });
  }

  private PredictionRow row(BatchItem item, StudyPrediction.Outcome outcome) {
    ExampleResult result = outcome.result();
    Map<String, Object> values = new LinkedHashMap<>();
    schema.outputColumns().forEach(c -> values.put(c, null));
    for (PredictionSchema.OutputColumns o : schema.outputs()) {
      Prediction p = result.predictions().get(o.output());
      if (p instanceof ClassProbabilities c) {
        values.put(o.labelColumn(), c.topLabel());
        put(values, o.probabilityColumns(), c.probabilities());
      } else if (p instanceof LabelProbabilities l) {
        values.put(o.labelColumn(), String.join("|", l.present()));
        put(values, o.probabilityColumns(), l.probabilities());
      } else if (o.mapColumn() != null) {
        String stem = names.get(item.input());
        outcome.written().stream().filter(f -> isMapOf(f.getFileName().toString(), o.output(), stem)).findFirst()
            .ifPresent(f -> values.put(o.mapColumn(), f.toString()));
      }
    }
    return new PredictionRow(item.inputId(), item.path(), item.studyUid(), item.seriesUid(),
        predictor.model().task().name(), modelSha256, engine, values, null);
  }

  /**
   * Whether a file written for an input is output {@code output}'s map: {@code <output>_<stem>.nii.gz} or {@code .png},
   * or a DICOM overlay {@code <output>_SC_...}. Matched on the name's start, since another output's name may contain
   * this one's ({@code attention} and {@code attention_map}).
   */
  static boolean isMapOf(String fileName, String output, String stem) {
    return fileName.startsWith(output + "_" + stem + ".") || fileName.startsWith(output + "_SC_");
  }

  private static void put(Map<String, Object> values, List<String> columns, float[] probabilities) {
    for (int i = 0; i < columns.size(); i++) {
      values.put(columns.get(i), probabilities[i]);
    }
  }

  private PredictionRow error(BatchItem item, String message) {
    Map<String, Object> values = new LinkedHashMap<>();
    schema.outputColumns().forEach(c -> values.put(c, null));
    return new PredictionRow(item.inputId(), item.path(), item.studyUid(), item.seriesUid(),
        predictor.model().task().name(), modelSha256, engine, values, message);
  }

  /**
   * A file name stem for an id: its letters, digits, dots and dashes (an image or volume file's extension left out),
   * then the first 8 hex digits of the id's SHA-256 so that ids differing only in other characters ({@code a/b.png},
   * {@code a_b.png}) get different files.
   */
  static String fileStem(String inputId) {
    String readable = inputId.replaceFirst("(?i)\\.(nii\\.gz|nii|png|jpe?g|bmp|dcm)(?=$|#)", "")
        .replaceAll("[^0-9A-Za-z.-]", "_");
    if (readable.length() > 120) {
      readable = readable.substring(readable.length() - 120);
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(inputId.getBytes(StandardCharsets.UTF_8));
      return readable + "-" + HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
    }
  }
}
