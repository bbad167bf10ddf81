package org.medvision.dicom;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * UIDs: new ones for objects we create, our implementation identity, and the SOP class UIDs our writers use.
 *
 * <p>New UIDs use the {@code 2.25.<UUID as an unsigned decimal>} form of PS3.5 annex B.2, which needs no registered
 * root and is unique by construction; they are at most 44 characters, within the 64 allowed.
 */
public final class Uids {
  /** Our Implementation Class UID (0002,0012), a fixed UUID-derived UID that identifies medvision as the writer. */
  public static final String IMPLEMENTATION_CLASS_UID = "2.25.209514878464311426619633734122855700401";
  /** Our Implementation Version Name (0002,0013), at most 16 characters. */
  public static final String IMPLEMENTATION_VERSION_NAME = "MEDVISION_0_1";

  /** CT Image Storage. */
  public static final String CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2";
  /** Enhanced CT Image Storage. */
  public static final String ENHANCED_CT_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.2.1";
  /** MR Image Storage. */
  public static final String MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4";
  /** Enhanced MR Image Storage. */
  public static final String ENHANCED_MR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.4.1";
  /** Computed Radiography Image Storage. */
  public static final String CR_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.1";
  /** Digital X-Ray Image Storage - For Presentation. */
  public static final String DX_IMAGE_STORAGE_FOR_PRESENTATION = "1.2.840.10008.5.1.4.1.1.1.1";
  /** Secondary Capture Image Storage. */
  public static final String SECONDARY_CAPTURE_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7";
  /** Multi-frame Grayscale Byte Secondary Capture Image Storage. */
  public static final String MULTIFRAME_GRAYSCALE_BYTE_SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7.2";
  /** Multi-frame Grayscale Word Secondary Capture Image Storage. */
  public static final String MULTIFRAME_GRAYSCALE_WORD_SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7.3";
  /** Multi-frame True Color Secondary Capture Image Storage. */
  public static final String MULTIFRAME_TRUE_COLOR_SC_IMAGE_STORAGE = "1.2.840.10008.5.1.4.1.1.7.4";
  /** Segmentation Storage. */
  public static final String SEGMENTATION_STORAGE = "1.2.840.10008.5.1.4.1.1.66.4";
  /** Basic Text SR Storage. */
  public static final String BASIC_TEXT_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.11";
  /** Enhanced SR Storage. */
  public static final String ENHANCED_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.22";
  /** Comprehensive SR Storage. */
  public static final String COMPREHENSIVE_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.33";
  /** Comprehensive 3D SR Storage. */
  public static final String COMPREHENSIVE_3D_SR_STORAGE = "1.2.840.10008.5.1.4.1.1.88.34";
  /** Media Storage Directory Storage (DICOMDIR). */
  public static final String MEDIA_STORAGE_DIRECTORY_STORAGE = "1.2.840.10008.1.3.10";

  private Uids() {}

  /** A new UID of the form {@code 2.25.<random UUID as unsigned decimal>}. */
  public static String create() {
    return fromUuid(UUID.randomUUID());
  }

  /** The {@code 2.25.} UID of a given UUID (deterministic, for tests and for UIDs derived from stable names). */
  public static String fromUuid(UUID uuid) {
    byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array();
    return "2.25." + new BigInteger(1, bytes);
  }

  /**
   * True when the text is a valid UID: at most 64 characters, dot-separated components of digits, no leading zero
   * in a multi-digit component.
   */
  public static boolean isValid(String uid) {
    if (uid == null || uid.isEmpty() || uid.length() > 64) {
      return false;
    }
    for (String component : uid.split("\\.", -1)) {
      if (component.isEmpty() || component.length() > 1 && component.charAt(0) == '0') {
        return false;
      }
      for (int i = 0; i < component.length(); i++) {
        if (component.charAt(i) < '0' || component.charAt(i) > '9') {
          return false;
        }
      }
    }
    return true;
  }
}
