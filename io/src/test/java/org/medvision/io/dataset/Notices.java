package org.medvision.io.dataset;

import java.util.ArrayList;
import java.util.List;
import org.medvision.io.ProgressListener;

/** A progress listener that keeps the notes and warnings it is told, for tests to look at. */
final class Notices implements ProgressListener {
  final List<String> notes = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  @Override
  public void progress(long done, long total) {}

  @Override
  public void note(String message) {
    notes.add(message);
  }

  @Override
  public void warning(String message) {
    warnings.add(message);
  }
}
