package org.medvision.dicom;

import java.util.List;
import java.util.Optional;

/**
 * Where the attributes of one frame live (PS3.3 C.7.6.16): an enhanced multi-frame object keeps them in functional
 * group macros, a frame's item of the Per-Frame Functional Groups Sequence winning over the Shared Functional Groups
 * item; single-frame and classic multi-frame objects keep the same attributes in the top-level data set, which is
 * also the fallback when neither group holds them.
 */
public final class FunctionalGroups {
  private final DataSet top;
  private final DataSet frame;
  private final DataSet shared;

  private FunctionalGroups(DataSet top, DataSet frame, DataSet shared) {
    this.top = top;
    this.frame = frame;
    this.shared = shared;
  }

  /**
   * The groups of frame {@code frameIndex} (0-based) of {@code dataSet}; a frame beyond the Per-Frame Functional
   * Groups Sequence has only the shared group and the top level.
   */
  public static FunctionalGroups of(DataSet dataSet, int frameIndex) {
    List<DataSet> perFrame = dataSet.sequence(Tags.PER_FRAME_FUNCTIONAL_GROUPS_SEQUENCE);
    DataSet frame = frameIndex >= 0 && frameIndex < perFrame.size() ? perFrame.get(frameIndex) : null;
    DataSet shared = dataSet.sequence(Tags.SHARED_FUNCTIONAL_GROUPS_SEQUENCE).stream().findFirst().orElse(null);
    return new FunctionalGroups(dataSet, frame, shared);
  }

  /**
   * The data set that holds {@code tag} for this frame: the first item of the macro sequence {@code macro} in the
   * frame's group, else in the shared group, when that item contains the tag; else the top-level data set, which
   * may lack it too (its accessors then return empty values).
   *
   * @param macro the functional group macro's sequence tag, e.g. {@link Tags#PIXEL_MEASURES_SEQUENCE}
   * @param tag the attribute inside it, e.g. {@link Tags#PIXEL_SPACING}
   */
  public DataSet holder(int macro, int tag) {
    for (DataSet groups : new DataSet[] {frame, shared}) {
      Optional<DataSet> item = groups == null ? Optional.empty() : groups.item(macro, 0);
      if (item.isPresent() && item.get().contains(tag)) {
        return item.get();
      }
    }
    return top;
  }
}
