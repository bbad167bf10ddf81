package org.medvision.cli;

import java.util.function.IntSupplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.dicom.DicomReadOptions;

/**
 * {@code --strict}, shared by the commands that read DICOM: reject the rule breaks that dcmtk and gdcm read past
 * (odd lengths, no Transfer Syntax UID, an offset table that does not fit its fragments, an item longer than its
 * container) instead of reading them with a warning. The readers deep in io and runtime take their options from
 * the process default ({@link DicomReadOptions#processDefault()}), so the option sets that default's system property
 * for the command's run and restores it afterwards.
 */
final class StrictOption {
  private StrictOption() {}

  static Options add(Options options) {
    return options.addOption(Args.flag("strict", "refuse instead of warning: DICOM rule breaks that dcmtk and gdcm "
        + "read past (odd lengths, missing transfer syntax, a Basic Offset Table that does not fit its fragments), "
        + "and, where a model runs, inputs outside the modalities and body parts the task was built for (default: "
        + "warn and go on)"));
  }

  /** Runs {@code command} with strict DICOM reading when {@code --strict} is given. */
  static int during(CommandLine line, IntSupplier command) {
    if (!line.hasOption("strict")) {
      return command.getAsInt();
    }
    String before = System.getProperty(DicomReadOptions.STRICT_PROPERTY);
    System.setProperty(DicomReadOptions.STRICT_PROPERTY, "true");
    try {
      return command.getAsInt();
    } finally {
      if (before == null) {
        System.clearProperty(DicomReadOptions.STRICT_PROPERTY);
      } else {
        System.setProperty(DicomReadOptions.STRICT_PROPERTY, before);
      }
    }
  }
}
