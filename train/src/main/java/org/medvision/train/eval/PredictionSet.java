package org.medvision.train.eval;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A named set of per-image predictions, as written to and read from {@code predictions.json}.
 *
 * @param name what the set is called in reports, e.g. the file it was read from
 * @param classes class names in probability-column order
 * @param predictions one per image
 * @param model what produced them (task, weights digest, engine, ...); strings and numbers, possibly empty
 */
public record PredictionSet(String name, List<String> classes, List<ImagePrediction> predictions,
    Map<String, Object> model) {
  /** Copies the collections. */
  public PredictionSet {
    classes = List.copyOf(classes);
    predictions = List.copyOf(predictions);
    model = Collections.unmodifiableMap(new LinkedHashMap<>(model));
  }

  /** The predictions keyed by image path, in order. */
  public Map<Path, ImagePrediction> byPath() {
    Map<Path, ImagePrediction> m = new LinkedHashMap<>();
    for (ImagePrediction p : predictions) {
      m.put(p.path(), p);
    }
    return m;
  }
}
