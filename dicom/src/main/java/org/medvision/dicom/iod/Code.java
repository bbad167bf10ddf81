package org.medvision.dicom.iod;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.Tags;
import org.medvision.dicom.VR;

/**
 * A coded concept (Code Sequence Macro, PS3.3 table 8.8-1): code value, coding scheme designator and code meaning.
 *
 * @param value the code value, 1 to 16 characters (SH)
 * @param scheme the coding scheme designator, e.g. {@code DCM}, {@code SCT}, {@code UCUM} or {@link #MEDVISION}
 * @param meaning the human-readable code meaning (LO, at most 64 characters)
 */
public record Code(String value, String scheme, String meaning) {
  /** Our private coding scheme designator, for labels and concepts that have no standard code. */
  public static final String MEDVISION = "99MEDVISION";

  private static final int MAX_VALUE = 16;
  private static final int MAX_MEANING = 64;

  /**
   * Checks the lengths.
   *
   * @throws DicomException naming the code when a part is empty or too long
   */
  public Code {
    if (value == null || value.isEmpty() || value.length() > MAX_VALUE) {
      throw new DicomException("code value '" + value + "' of '" + meaning + "' must have 1 to " + MAX_VALUE
          + " characters");
    }
    if (scheme == null || scheme.isEmpty() || scheme.length() > MAX_VALUE) {
      throw new DicomException("coding scheme designator '" + scheme + "' must have 1 to " + MAX_VALUE
          + " characters");
    }
    if (meaning == null || meaning.isEmpty() || meaning.length() > MAX_MEANING) {
      throw new DicomException("code meaning '" + meaning + "' of code " + value + " must have 1 to " + MAX_MEANING
          + " characters");
    }
  }

  /** A code of the DICOM Controlled Terminology (PS3.16), scheme {@code DCM}. */
  public static Code dcm(String value, String meaning) {
    return new Code(value, "DCM", meaning);
  }

  /** A SNOMED CT code, scheme {@code SCT}. */
  public static Code sct(String value, String meaning) {
    return new Code(value, "SCT", meaning);
  }

  /** A UCUM unit, scheme {@code UCUM}. */
  public static Code ucum(String value, String meaning) {
    return new Code(value, "UCUM", meaning);
  }

  /**
   * Our code for a free-text label such as a task's class name: the label itself when it is at most 16 characters of
   * letters, digits, {@code _ - .}; otherwise {@code MV} and the first 14 hexadecimal digits of the label's SHA-256,
   * so distinct long labels keep distinct codes. The meaning is the label (cut to 64 characters).
   */
  public static Code label(String label) {
    if (label == null || label.isBlank()) {
      throw new DicomException("a label for a code must not be empty");
    }
    String value = label.matches("[A-Za-z0-9_.-]{1,16}") ? label : "MV" + sha256(label).substring(0, 14);
    String meaning = label.length() > MAX_MEANING ? label.substring(0, MAX_MEANING) : label;
    return new Code(value, MEDVISION, meaning);
  }

  /** This code as a new item (Code Value, Coding Scheme Designator, Code Meaning). */
  public DataSet toItem() {
    DataSet item = new DataSet();
    fill(item);
    return item;
  }

  /** Sets the three attributes of this code in {@code item}. */
  public void fill(DataSet item) {
    item.setString(Tags.CODE_VALUE, VR.SH, value);
    item.setString(Tags.CODING_SCHEME_DESIGNATOR, VR.SH, scheme);
    item.setString(Tags.CODE_MEANING, VR.LO, meaning);
  }

  /** Adds this code as the single item of the code sequence {@code tag} of {@code target}. */
  public void addTo(DataSet target, int tag) {
    fill(target.addItem(tag));
  }

  /**
   * The code held by an item of a code sequence.
   *
   * @throws DicomException when the item lacks one of the three attributes
   */
  public static Code of(DataSet item) {
    return new Code(item.getString(Tags.CODE_VALUE), item.getString(Tags.CODING_SCHEME_DESIGNATOR),
        item.getString(Tags.CODE_MEANING));
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
