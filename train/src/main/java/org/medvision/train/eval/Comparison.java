package org.medvision.train.eval;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.metrics.McNemar;

/**
 * McNemar's test between two prediction sets on the same images, matched by path.
 *
 * @param nameA the first set, "A" in the test (usually this evaluation)
 * @param nameB the second set, "B" (the {@code --compare} file)
 * @param accuracyA accuracy of A on the matched images
 * @param accuracyB accuracy of B on the matched images
 * @param test the test; b counts images A got right and B wrong, c the reverse
 */
public record Comparison(String nameA, String nameB, double accuracyA, double accuracyB, McNemar test) {
  private static final int MAX_LISTED = 10;

  /**
   * Matches the two sets by image path and runs the test on A's order of images.
   *
   * @throws MedvisionException if the classes differ, an image is in only one set (listing up to ten of each), or an
   *     image has different true labels in the two sets
   */
  public static Comparison of(PredictionSet a, PredictionSet b) {
    if (!a.classes().equals(b.classes())) {
      throw new MedvisionException("cannot compare " + a.name() + " with " + b.name() + ": classes " + a.classes()
          + " differ from " + b.classes());
    }
    Map<Path, ImagePrediction> inA = a.byPath();
    Map<Path, ImagePrediction> inB = b.byPath();
    List<Path> onlyA = new ArrayList<>();
    for (Path p : inA.keySet()) {
      if (!inB.containsKey(p)) {
        onlyA.add(p);
      }
    }
    List<Path> onlyB = new ArrayList<>();
    for (Path p : inB.keySet()) {
      if (!inA.containsKey(p)) {
        onlyB.add(p);
      }
    }
    if (!onlyA.isEmpty() || !onlyB.isEmpty()) {
      throw new MedvisionException("cannot compare " + a.name() + " (" + inA.size() + " images) with " + b.name()
          + " (" + inB.size() + " images): McNemar's test needs the same images; only in the first: "
          + listed(onlyA) + "; only in the second: " + listed(onlyB));
    }
    int n = inA.size();
    int[] labels = new int[n];
    int[] predA = new int[n];
    int[] predB = new int[n];
    List<String> disagreeing = new ArrayList<>();
    int i = 0;
    for (Map.Entry<Path, ImagePrediction> e : inA.entrySet()) {
      ImagePrediction pa = e.getValue();
      ImagePrediction pb = inB.get(e.getKey());
      if (pa.label() != pb.label()) {
        disagreeing.add(e.getKey() + " (" + a.classes().get(pa.label()) + " vs " + b.classes().get(pb.label()) + ")");
      }
      labels[i] = pa.label();
      predA[i] = pa.predicted();
      predB[i] = pb.predicted();
      i++;
    }
    if (!disagreeing.isEmpty()) {
      throw new MedvisionException("cannot compare " + a.name() + " with " + b.name() + ": " + disagreeing.size()
          + " images have different true labels: " + String.join(", ",
              disagreeing.subList(0, Math.min(MAX_LISTED, disagreeing.size())))
          + (disagreeing.size() > MAX_LISTED ? ", ..." : ""));
    }
    return new Comparison(a.name(), b.name(), accuracy(labels, predA), accuracy(labels, predB),
        McNemar.test(labels, predA, predB));
  }

  private static double accuracy(int[] labels, int[] predicted) {
    int right = 0;
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == predicted[i]) {
        right++;
      }
    }
    return (double) right / labels.length;
  }

  private static String listed(List<Path> paths) {
    if (paths.isEmpty()) {
      return "none";
    }
    List<String> shown = new ArrayList<>();
    for (Path p : paths.subList(0, Math.min(MAX_LISTED, paths.size()))) {
      shown.add(p.toString());
    }
    return paths.size() + " (" + String.join(", ", shown) + (paths.size() > MAX_LISTED ? ", ..." : "") + ")";
  }

  /** JSON-friendly view: the two names and accuracies plus the test's own map under {@code mcnemar}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("a", nameA);
    m.put("b", nameB);
    m.put("accuracyA", accuracyA);
    m.put("accuracyB", accuracyB);
    m.put("mcnemar", test.toMap());
    return m;
  }
}
