package org.medvision.dicom.iod;

import org.medvision.dicom.DataSet;
import org.medvision.dicom.DicomException;
import org.medvision.dicom.Tags;
import org.medvision.dicom.VR;

/**
 * Who made an object: the General Equipment and Enhanced General Equipment attributes we write.
 *
 * @param manufacturer Manufacturer (0008,0070)
 * @param modelName Manufacturer's Model Name (0008,1090)
 * @param deviceSerialNumber Device Serial Number (0018,1000)
 * @param softwareVersion Software Versions (0018,1020)
 */
public record Equipment(String manufacturer, String modelName, String deviceSerialNumber, String softwareVersion) {
  /** medvision itself, with the version of this jar when it is packaged, else the reactor version. */
  public static final Equipment MEDVISION = new Equipment("medvision", "medvision", "0",
      versionOr("0.1.0-SNAPSHOT"));

  /**
   * Checks that every part is present (all four are Type 1 in Enhanced General Equipment).
   *
   * @throws DicomException naming the empty part
   */
  public Equipment {
    require(manufacturer, "manufacturer");
    require(modelName, "model name");
    require(deviceSerialNumber, "device serial number");
    require(softwareVersion, "software version");
  }

  /** Sets the four attributes in {@code target}. */
  public void fill(DataSet target) {
    target.setString(Tags.MANUFACTURER, VR.LO, manufacturer);
    target.setString(Tags.MANUFACTURER_MODEL_NAME, VR.LO, modelName);
    target.setString(Tags.DEVICE_SERIAL_NUMBER, VR.LO, deviceSerialNumber);
    target.setString(Tags.SOFTWARE_VERSIONS, VR.LO, softwareVersion);
  }

  private static void require(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new DicomException("equipment " + what + " must not be empty");
    }
  }

  private static String versionOr(String fallback) {
    String version = Equipment.class.getPackage().getImplementationVersion();
    return version == null || version.isBlank() ? fallback : version;
  }
}
