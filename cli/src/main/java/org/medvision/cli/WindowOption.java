package org.medvision.cli;

import org.apache.commons.cli.CommandLine;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.Task;
import org.medvision.runtime.Windows;

/**
 * {@code --window}: how DICOM values of a task's 2-D image inputs become [0, 1]. A task whose inputs are volumes
 * scales intensities its own way (e.g. DSA-Net's HU clip), so there the option is refused rather than ignored.
 */
final class WindowOption {
  private WindowOption() {}

  /**
   * The window {@code --window} asks for, or null when it is absent.
   *
   * @throws UsageException for a malformed window, or a task with no 2-D image input to apply it to
   */
  static Windowing parse(CommandLine line, Task task) {
    String value = line.getOptionValue("window");
    if (value == null) {
      return null;
    }
    if (task.data().fields().stream().noneMatch(f -> f instanceof ImageField)) {
      throw new UsageException("--window applies to 2-D image inputs; task " + task.name() + " scales its input "
          + "its own way (" + taskWindow(task) + ")");
    }
    try {
      return Windows.parse(value);
    } catch (MedvisionException e) {
      throw new UsageException("--window: " + e.getMessage());
    }
  }

  /** How the task's primary input turns stored values into [0, 1] when no --window is given. */
  static String taskWindow(Task task) {
    Field input = task.data().primaryInput();
    if (input instanceof ImageField image) {
      return image.windowing().toString();
    }
    if (input instanceof VolumeField volume) {
      VolumePreprocessing p = volume.preprocessing();
      return Double.isNaN(p.percentile()) ? "clip [" + Formats.number(p.clipLow()) + ", "
          + Formats.number(p.clipHigh()) + "]" : "up to percentile " + Formats.number(p.percentile());
    }
    return "the task's";
  }
}
