package org.medvision.api.task;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The images a task was built for, as DICOM names them: Modality (0008,0060) values such as {@code CT}, and Body Part
 * Examined (0018,0015) values such as {@code HEAD}. A model fed something else still returns numbers (a CT stroke
 * model on an MR series under the brain window answers "hemorrhagic" with confidence), so inputs outside these sets
 * are flagged in the output and in the SR, or refused when the user asks for that.
 *
 * @param modalities the Modality values accepted; empty means any
 * @param bodyParts the Body Part Examined values accepted when the file says one; empty means any
 */
public record Acquisition(Set<String> modalities, Set<String> bodyParts) {
  /** No declaration: every input is accepted without comment. */
  public static final Acquisition ANY = new Acquisition(Set.of(), Set.of());

  /** Copies and upper-cases the sets (DICOM code strings are upper case). */
  public Acquisition {
    modalities = upper(modalities);
    bodyParts = upper(bodyParts);
  }

  /** Declares modalities and body parts. */
  public static Acquisition of(Set<String> modalities, Set<String> bodyParts) {
    return new Acquisition(modalities, bodyParts);
  }

  /**
   * Why an input with this modality and body part is outside the declaration, or empty when it is inside (or says
   * nothing: a missing value is not evidence against the input).
   *
   * @param modality the input's Modality, or null when it has none (e.g. a PNG)
   * @param bodyPart the input's Body Part Examined, or null
   */
  public Optional<String> mismatch(String modality, String bodyPart) {
    String m = modality == null ? "" : modality.trim().toUpperCase(Locale.ROOT);
    String b = bodyPart == null ? "" : bodyPart.trim().toUpperCase(Locale.ROOT);
    if (!m.isEmpty() && !modalities.isEmpty() && !modalities.contains(m)) {
      return Optional.of("modality " + m + " is not one the task was built for (" + String.join(", ", modalities)
          + ")");
    }
    if (!b.isEmpty() && !bodyParts.isEmpty() && !bodyParts.contains(b)) {
      return Optional.of("body part " + b + " is not one the task was built for (" + String.join(", ", bodyParts)
          + ")");
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return (modalities.isEmpty() ? "any modality" : String.join("/", modalities))
        + (bodyParts.isEmpty() ? "" : " of " + String.join("/", bodyParts));
  }

  private static Set<String> upper(Set<String> values) {
    TreeSet<String> out = new TreeSet<>();
    values.forEach(v -> out.add(v.trim().toUpperCase(Locale.ROOT)));
    return java.util.Collections.unmodifiableSortedSet(out);
  }
}
