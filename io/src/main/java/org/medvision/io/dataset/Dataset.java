package org.medvision.io.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A labelled image collection that holds only file paths and class indices; images are decoded later, batch by
 * batch, by a {@link BatchLoader}, so the collection may be far larger than memory. Immutable.
 */
public final class Dataset {
  /**
   * One image of the collection.
   *
   * @param path the image file
   * @param label class index into {@link Dataset#classes()}
   * @param where the manifest row or file it came from, for messages
   */
  public record Item(Path path, int label, String where) {}

  private final List<Item> items;
  private final List<String> classes;

  private Dataset(List<Item> items, List<String> classes) {
    this.items = items;
    this.classes = classes;
  }

  /**
   * The collection of {@code rows}, whose labels must be class names exactly (as {@link LabelMapping#apply} leaves
   * them).
   *
   * @throws DatasetException if a row's label is not in {@code classes}
   */
  public static Dataset of(List<Sample> rows, List<String> classes) {
    List<Item> items = new ArrayList<>(rows.size());
    for (Sample s : rows) {
      int c = classes.indexOf(s.label());
      if (c < 0) {
        throw new DatasetException(s.where() + ": label '" + s.label() + "' is not one of " + classes
            + "; map labels with LabelMapping first");
      }
      items.add(new Item(s.path(), c, s.where()));
    }
    return new Dataset(List.copyOf(items), List.copyOf(classes));
  }

  /** Number of images. */
  public int size() {
    return items.size();
  }

  /** Image {@code i}. */
  public Item get(int i) {
    return items.get(i);
  }

  /** Class names, in class-index order. */
  public List<String> classes() {
    return classes;
  }

  /** The order 0..size-1 shuffled with {@code seed} (Fisher-Yates); the same seed always gives the same order. */
  public int[] shuffledOrder(long seed) {
    int[] order = new int[items.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
