package org.medvision.api.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What one example of a task is: its fields, which graph input each field feeds, and which label field stratifies
 * the splits.
 *
 * <p>A data set is a CSV manifest with one column per field (plus optional {@code patient_id} and {@code split}), or,
 * for a schema of one image field and one single-label field, a folder with one subfolder per class.
 *
 * @param fields the fields, in declaration order
 * @param graphInputs graph input name to the example key that feeds it (several inputs may read one key)
 * @param stratifyBy the single-label field whose classes splits are stratified by, or empty for none
 */
public record DataSchema(List<Field> fields, Map<String, String> graphInputs, String stratifyBy) {
  /**
   * Checks that names are unique and every reference points at a field of the right kind.
   *
   * @throws IllegalArgumentException naming the first broken reference
   */
  public DataSchema {
    fields = List.copyOf(fields);
    graphInputs = Collections.unmodifiableMap(new LinkedHashMap<>(graphInputs));
    stratifyBy = stratifyBy == null ? "" : stratifyBy;
    Map<String, Field> byName = new LinkedHashMap<>();
    for (Field f : fields) {
      if (byName.putIfAbsent(f.name(), f) != null) {
        throw new IllegalArgumentException("field '" + f.name() + "' is declared twice");
      }
    }
    for (Field f : fields) {
      if (f instanceof MaskField m) {
        Field target = byName.get(m.alignedTo());
        if (!(target instanceof VolumeField || target instanceof ImageField)) {
          throw new IllegalArgumentException("mask '" + m.name() + "' is aligned to '" + m.alignedTo()
              + "', which is not an image or volume field");
        }
      } else if (f instanceof VolumeField v && !v.preprocessing().cropToMask().isEmpty()
          && !(byName.get(v.preprocessing().cropToMask()) instanceof MaskField)) {
        throw new IllegalArgumentException("volume '" + v.name() + "' is cropped to '"
            + v.preprocessing().cropToMask() + "', which is not a mask field");
      } else if (f instanceof ImageField i && !i.alignedTo().isEmpty()
          && !(byName.get(i.alignedTo()) instanceof ImageField)) {
        throw new IllegalArgumentException("image '" + i.name() + "' is paired with '" + i.alignedTo()
            + "', which is not an image field");
      } else if (f instanceof AttributeField a && a.derived()
          && !(byName.get(a.ratioOf()) instanceof MaskField && byName.get(a.ratioTo()) instanceof MaskField)) {
        throw new IllegalArgumentException("attribute '" + a.name() + "' is a ratio of '" + a.ratioOf() + "' and '"
            + a.ratioTo() + "', which must both be mask fields");
      }
    }
    for (Map.Entry<String, String> e : graphInputs.entrySet()) {
      if (!byName.containsKey(baseField(e.getValue()))) {
        throw new IllegalArgumentException("graph input '" + e.getKey() + "' reads '" + e.getValue()
            + "', which is no field");
      }
    }
    if (!stratifyBy.isEmpty() && !(byName.get(stratifyBy) instanceof LabelField l && !l.multiLabel())) {
      throw new IllegalArgumentException("splits are stratified by '" + stratifyBy
          + "', which is not a single-label field");
    }
  }

  /** The field a key such as {@code mask.present} belongs to. */
  public static String baseField(String key) {
    int dot = key.indexOf('.');
    return dot < 0 ? key : key.substring(0, dot);
  }

  /** The field named {@code name}. */
  public Optional<Field> field(String name) {
    return fields.stream().filter(f -> f.name().equals(name)).findFirst();
  }

  /** The fields of one kind, in declaration order. */
  public <F extends Field> List<F> fields(Class<F> kind) {
    List<F> out = new ArrayList<>();
    for (Field f : fields) {
      if (kind.isInstance(f)) {
        out.add(kind.cast(f));
      }
    }
    return out;
  }

  /** The stratification label field, if there is one. */
  public Optional<LabelField> labels() {
    return stratifyBy.isEmpty() ? Optional.empty() : field(stratifyBy).map(LabelField.class::cast);
  }

  /**
   * The fields a model needs to run: those the graph inputs read, and what their preprocessing reads (the mask a
   * volume is cropped to, the image an image is paired with). Labels and targets are not among them, so prediction
   * needs no ground truth.
   */
  public Set<String> inputFields() {
    Set<String> needed = new LinkedHashSet<>();
    List<String> pending = new ArrayList<>();
    graphInputs.values().forEach(k -> pending.add(baseField(k)));
    while (!pending.isEmpty()) {
      String name = pending.remove(pending.size() - 1);
      if (!needed.add(name)) {
        continue;
      }
      Field f = field(name).orElseThrow();
      if (f instanceof VolumeField v && !v.preprocessing().cropToMask().isEmpty()) {
        pending.add(v.preprocessing().cropToMask());
      } else if (f instanceof ImageField i && !i.alignedTo().isEmpty()) {
        pending.add(i.alignedTo());
      }
    }
    Set<String> ordered = new LinkedHashSet<>();
    for (Field f : fields) {
      if (needed.contains(f.name())) {
        ordered.add(f.name());
      }
    }
    return ordered;
  }

  /**
   * The field the model primarily reads: the first image or volume field among the inputs. Prediction entry points
   * use it to decide what one input is (a 2-D image or slice, or a whole volume).
   */
  public Field primaryInput() {
    Set<String> inputs = inputFields();
    for (Field f : fields) {
      if (inputs.contains(f.name()) && (f instanceof ImageField || f instanceof VolumeField)) {
        return f;
      }
    }
    throw new IllegalStateException("the schema has no image or volume input");
  }
}
