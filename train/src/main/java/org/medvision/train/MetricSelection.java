package org.medvision.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.medvision.api.MedvisionException;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.task.Task;

/**
 * The validation metric that picks the best checkpoint and drives early stopping, chosen among the keys the task's
 * metric suites offer.
 *
 * @param key the metric key, e.g. {@code acc}
 * @param direction whether larger or smaller is better
 */
public record MetricSelection(String key, MetricSuite.Direction direction) {
  /**
   * The metric {@code asked} names among {@code task}'s suites, or the first suite's default when {@code asked} is
   * empty. Names are read loosely: case, a {@code val-} prefix and {@code -} for {@code _} are ignored, and a unique
   * key that the name starts with (or that starts with it) matches, so {@code val-accuracy} finds {@code acc}.
   *
   * @throws MedvisionException for a name no suite offers, listing the keys
   */
  public static MetricSelection resolve(Task task, String asked) {
    Map<String, MetricSuite.Direction> keys = new LinkedHashMap<>();
    String defaultKey = null;
    for (Supplier<MetricSuite> s : task.metrics()) {
      MetricSuite suite = s.get();
      keys.putAll(suite.selectable());
      if (defaultKey == null) {
        defaultKey = suite.defaultSelection();
      }
    }
    if (keys.isEmpty()) {
      throw new MedvisionException("task " + task.name() + " declares no metric suites; nothing can select a "
          + "checkpoint");
    }
    if (asked == null || asked.isBlank()) {
      return new MetricSelection(defaultKey, keys.get(defaultKey));
    }
    String name = asked.trim().toLowerCase(Locale.ROOT).replace('-', '_');
    if (name.startsWith("val_")) {
      name = name.substring(4);
    }
    if (keys.containsKey(name)) {
      return new MetricSelection(name, keys.get(name));
    }
    List<String> close = new ArrayList<>();
    for (String k : keys.keySet()) {
      if (name.startsWith(k) || k.startsWith(name)) {
        close.add(k);
      }
    }
    if (close.size() == 1) {
      return new MetricSelection(close.get(0), keys.get(close.get(0)));
    }
    throw new MedvisionException("unknown selection metric '" + asked + "' for task " + task.name()
        + "; its metrics: " + String.join(", ", keys.keySet()));
  }
}
