package org.medvision.runtime;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.medvision.api.MedvisionException;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.Detections;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.GeneratedImage;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Prediction;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.tensor.Tensor;

/**
 * Combines the results of an ensemble's members by their mean: class and label probabilities element by element
 * (the mean of softmax outputs, as DSA-Net's ensemble), spatial maps and generated images voxel by voxel.
 * Detections have no mean; an ensemble of a detecting task is refused.
 */
public final class EnsembleMean {
  private EnsembleMean() {}

  /**
   * The mean result of each example.
   *
   * @param members one result list per member, each in the same example order
   * @throws MedvisionException if the members disagree on examples or result names, or a result is a detection
   */
  public static List<ExampleResult> combine(List<List<ExampleResult>> members) {
    if (members.size() == 1) {
      return members.get(0);
    }
    int n = members.get(0).size();
    for (int k = 1; k < members.size(); k++) {
      if (members.get(k).size() != n) {
        throw new MedvisionException("ensemble member " + (k + 1) + " returned " + members.get(k).size()
            + " results but member 1 returned " + n);
      }
    }
    List<ExampleResult> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ExampleResult first = members.get(0).get(i);
      Map<String, Prediction> combined = new LinkedHashMap<>();
      for (String key : first.predictions().keySet()) {
        List<Prediction> parts = new ArrayList<>();
        for (List<ExampleResult> m : members) {
          ExampleResult r = m.get(i);
          if (!r.id().equals(first.id()) || !r.predictions().containsKey(key)) {
            throw new MedvisionException("ensemble members disagree on example " + first.id() + " result '" + key
                + "'");
          }
          parts.add(r.predictions().get(key));
        }
        combined.put(key, mean(key, parts));
      }
      out.add(new ExampleResult(first.id(), combined));
    }
    return out;
  }

  private static Prediction mean(String key, List<Prediction> parts) {
    Prediction head = parts.get(0);
    for (Prediction p : parts) {
      if (p.getClass() != head.getClass() || !labels(p).equals(labels(head))) {
        throw new MedvisionException("ensemble members disagree on result '" + key + "': " + describe(head)
            + " vs " + describe(p));
      }
    }
    if (head instanceof ClassProbabilities c) {
      return new ClassProbabilities(c.labels(), meanOf(parts, p -> ((ClassProbabilities) p).probabilities()));
    }
    if (head instanceof LabelProbabilities l) {
      return new LabelProbabilities(l.labels(), meanOf(parts, p -> ((LabelProbabilities) p).probabilities()),
          l.threshold());
    }
    if (head instanceof SpatialMap s) {
      return new SpatialMap(Tensor.of(s.values().shape(), meanOf(parts,
          p -> ((SpatialMap) p).values().toFloatArray())), s.alignedTo());
    }
    if (head instanceof GeneratedImage g) {
      return new GeneratedImage(Tensor.of(g.image().shape(), meanOf(parts,
          p -> ((GeneratedImage) p).image().toFloatArray())), g.alignedTo());
    }
    if (head instanceof Detections) {
      throw new MedvisionException("result '" + key + "' holds detections, which an ensemble cannot average");
    }
    throw new AssertionError(head);
  }

  private static List<String> labels(Prediction p) {
    if (p instanceof ClassProbabilities c) {
      return c.labels();
    }
    return p instanceof LabelProbabilities l ? l.labels() : List.of();
  }

  private static String describe(Prediction p) {
    List<String> labels = labels(p);
    return p.getClass().getSimpleName() + (labels.isEmpty() ? "" : " " + labels);
  }

  private static float[] meanOf(List<Prediction> parts, Function<Prediction, float[]> values) {
    float[] first = values.apply(parts.get(0));
    double[] sum = new double[first.length];
    for (Prediction p : parts) {
      float[] v = values.apply(p);
      if (v.length != sum.length) {
        throw new MedvisionException("ensemble members' results differ in size: " + v.length + " vs " + sum.length);
      }
      for (int i = 0; i < v.length; i++) {
        sum[i] += v[i];
      }
    }
    float[] out = new float[sum.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (sum[i] / parts.size());
    }
    return out;
  }
}
