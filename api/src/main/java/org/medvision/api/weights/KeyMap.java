package org.medvision.api.weights;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

/**
 * Rewrites a checkpoint's tensor names and layouts into ours, before {@link Weights#fitTo}.
 *
 * <p>For each checkpoint tensor, in order: if a drop rule's pattern is found in its name the tensor is removed;
 * otherwise the first rename rule whose pattern is found in the name replaces that first occurrence (with
 * {@code $1}-style group references; anchor patterns with {@code ^} and {@code $} to match whole names), and names
 * no rule matches are kept; then the first reshape rule whose pattern is found in the new name gives the tensor its
 * new shape, which must hold the same number of elements. Two checkpoint tensors that end up with one name are an
 * error naming both. Instances are immutable.
 *
 * <pre>{@code
 * KeyMap torchvisionConvNeXt = KeyMap.builder()
 *     .drop("num_batches_tracked$")
 *     .rename("^features\\.0\\.(\\d)\\.", "stem.$1.")
 *     .rename("\\.layer_scale$", ".gamma")
 *     .squeeze("\\.gamma$")
 *     .build();
 * Weights ours = torchvisionConvNeXt.apply(Safetensors.read(file)).fitTo(graph);
 * }</pre>
 */
public final class KeyMap {
  private final List<Pattern> drops;
  private final List<Rename> renames;
  private final List<Reshape> reshapes;

  private KeyMap(Builder b) {
    this.drops = List.copyOf(b.drops);
    this.renames = List.copyOf(b.renames);
    this.reshapes = List.copyOf(b.reshapes);
  }

  /** A builder with no rules; its empty map changes nothing. */
  public static Builder builder() {
    return new Builder();
  }

  /** The map that keeps every name and shape. */
  public static KeyMap identity() {
    return builder().build();
  }

  /**
   * The name a checkpoint key gets, without touching any tensor.
   *
   * @return the new name, or empty when a drop rule removes the key
   * @throws MedvisionException naming the key if a replacement is invalid for it or yields an empty name
   */
  public Optional<String> targetName(String key) {
    for (Pattern p : drops) {
      if (p.matcher(key).find()) {
        return Optional.empty();
      }
    }
    for (Rename r : renames) {
      Matcher m = r.pattern().matcher(key);
      if (m.find()) {
        String renamed;
        try {
          renamed = m.replaceFirst(r.replacement());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
          throw new MedvisionException("key map rule '" + r.pattern() + "' -> '" + r.replacement()
              + "' cannot rename '" + key + "': " + e.getMessage(), e);
        }
        if (renamed.isEmpty()) {
          throw new MedvisionException("key map rule '" + r.pattern() + "' -> '" + r.replacement() + "' renames '"
              + key + "' to an empty name");
        }
        return Optional.of(renamed);
      }
    }
    return Optional.of(key);
  }

  /**
   * Applies the rules to every tensor.
   *
   * @return the renamed and reshaped tensors in the input's order, with the input's metadata and source
   * @throws MedvisionException naming the key(s) when two keys map to one name, a replacement fails, or a reshape
   *     changes the element count
   */
  public Weights apply(Weights in) {
    Map<String, String> sourceOf = new LinkedHashMap<>();
    Map<String, Tensor> out = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : in.tensors().entrySet()) {
      String key = e.getKey();
      Optional<String> target = targetName(key);
      if (target.isEmpty()) {
        continue;
      }
      String name = target.get();
      String earlier = sourceOf.putIfAbsent(name, key);
      if (earlier != null) {
        throw new MedvisionException("weights " + in.source() + ": keys '" + earlier + "' and '" + key
            + "' both map to '" + name + "'");
      }
      out.put(name, reshape(name, key, e.getValue()));
    }
    return new Weights(out, in.metadata(), in.source());
  }

  private Tensor reshape(String name, String key, Tensor tensor) {
    for (Reshape r : reshapes) {
      if (r.pattern().matcher(name).find()) {
        Shape target = r.shape().apply(tensor.shape());
        if (target == null || !target.isFullyKnown() || target.size() != tensor.size()) {
          throw new MedvisionException("key map reshape rule '" + r.pattern() + "' turns '" + name + "' (key '"
              + key + "') of shape " + tensor.shape() + " into " + target + ", which does not hold the same "
              + tensor.size() + " elements");
        }
        return tensor.reshape(target);
      }
    }
    return tensor;
  }

  private record Rename(Pattern pattern, String replacement) {
  }

  private record Reshape(Pattern pattern, UnaryOperator<Shape> shape) {
  }

  /** Collects rules; within each kind, rules are tried in the order they were added. */
  public static final class Builder {
    private final List<Pattern> drops = new ArrayList<>();
    private final List<Rename> renames = new ArrayList<>();
    private final List<Reshape> reshapes = new ArrayList<>();

    private Builder() {
    }

    /**
     * Adds a rename: the first occurrence of {@code regex} in a key becomes {@code replacement}, where {@code $n}
     * refers to group {@code n}. Only the first rename rule that matches a key applies.
     *
     * @throws MedvisionException if {@code regex} is not a valid pattern
     */
    public Builder rename(String regex, String replacement) {
      renames.add(new Rename(compile(regex), replacement));
      return this;
    }

    /**
     * Removes every checkpoint key (matched before renaming) in which {@code regex} is found, e.g. BatchNorm's
     * {@code num_batches_tracked} counters.
     *
     * @throws MedvisionException if {@code regex} is not a valid pattern
     */
    public Builder drop(String regex) {
      drops.add(compile(regex));
      return this;
    }

    /**
     * Gives tensors whose new name contains {@code regex} the shape {@code newShape} computes from their current
     * shape; it must keep the element count. Only the first reshape rule that matches a name applies.
     *
     * @throws MedvisionException if {@code regex} is not a valid pattern
     */
    public Builder reshape(String regex, UnaryOperator<Shape> newShape) {
      reshapes.add(new Reshape(compile(regex), newShape));
      return this;
    }

    /** Reshapes matching tensors to a fixed shape; see {@link #reshape(String, UnaryOperator)}. */
    public Builder reshapeTo(String regex, Shape shape) {
      return reshape(regex, current -> shape);
    }

    /** Removes every dimension of size 1 from matching tensors, e.g. a layer scale stored as [C, 1, 1] to [C]. */
    public Builder squeeze(String regex) {
      return reshape(regex, KeyMap::squeezed);
    }

    /** The key map with the rules added so far. */
    public KeyMap build() {
      return new KeyMap(this);
    }

    private static Pattern compile(String regex) {
      try {
        return Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new MedvisionException("key map pattern '" + regex + "' is not a valid regular expression: "
            + e.getDescription(), e);
      }
    }
  }

  private static Shape squeezed(Shape shape) {
    long[] dims = shape.dims();
    return Shape.of(java.util.Arrays.stream(dims).filter(d -> d != 1).toArray());
  }
}
