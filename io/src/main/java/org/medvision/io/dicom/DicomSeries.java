package org.medvision.io.dicom;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.medvision.api.MedvisionException;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.Tags;
import org.medvision.io.volume.Finding;
import org.medvision.io.volume.SeriesAssembler;
import org.medvision.io.volume.SeriesAssemblyException;
import org.medvision.io.volume.SeriesLayout;
import org.medvision.io.volume.SliceRecord;
import org.medvision.io.volume.Volume;

/**
 * The objects of one Series Instance UID found by a scan, with the identifying attributes of the first one and the
 * series' planned volume. The layout (geometry checks) is computed on first use and reads no pixels;
 * {@link #volume()} reads them.
 */
public final class DicomSeries {
  private final String seriesInstanceUid;
  private final List<DicomImage> objects;
  private final SeriesAssembler assembler;
  private SeriesLayout layout;

  DicomSeries(String seriesInstanceUid, List<DicomImage> objects, SeriesAssembler assembler) {
    if (objects.isEmpty()) {
      throw new MedvisionException("series " + seriesInstanceUid + " has no objects");
    }
    this.seriesInstanceUid = Objects.requireNonNull(seriesInstanceUid);
    this.objects = List.copyOf(objects);
    this.assembler = assembler;
  }

  /** Series Instance UID (0020,000E). */
  public String seriesInstanceUid() {
    return seriesInstanceUid;
  }

  /** Every object of the series, images and others (SR, RT structures), in scan order. */
  public List<DicomImage> objects() {
    return objects;
  }

  /** The objects with pixels. */
  public List<DicomImage> images() {
    return objects.stream().filter(DicomImage::isImage).toList();
  }

  /** The data set of the first object, which carries the patient, study and series attributes. */
  public DataSet first() {
    return objects.get(0).dataSet();
  }

  /** Modality (0008,0060), or {@code "?"}. */
  public String modality() {
    return first().getString(Tags.MODALITY, "?");
  }

  /** Series Number (0020,0011), or empty. */
  public Optional<Integer> seriesNumber() {
    try {
      return first().optionalInt(Tags.SERIES_NUMBER).stream().boxed().findFirst();
    } catch (MedvisionException e) {
      return Optional.empty();
    }
  }

  /** Series Description (0008,103E), or an empty string. */
  public String description() {
    return first().getString(Tags.SERIES_DESCRIPTION, "");
  }

  /** Number of image frames over all objects (each single-frame image counts one). */
  public int frameCount() {
    return objects.stream().mapToInt(DicomImage::frameCount).sum();
  }

  /** The distinct Transfer Syntax UIDs of the objects, in first-seen order. */
  public Set<String> transferSyntaxUids() {
    Set<String> out = new LinkedHashSet<>();
    for (DicomImage o : objects) {
      out.add(o.transferSyntaxUid());
    }
    return out;
  }

  /** The slice records of every frame of every image. */
  public List<SliceRecord> slices() {
    List<SliceRecord> out = new ArrayList<>();
    for (DicomImage image : objects) {
      out.addAll(image.slices());
    }
    return out;
  }

  /** True when at least one object has pixels, so a layout exists. */
  public boolean hasImages() {
    return objects.stream().anyMatch(DicomImage::isImage);
  }

  /**
   * The planned volume: slice order, grid, affine and findings.
   *
   * @throws MedvisionException when the series has no image objects (e.g. only structured reports)
   */
  public synchronized SeriesLayout layout() {
    if (layout == null) {
      if (!hasImages()) {
        throw new MedvisionException("series " + seriesInstanceUid + " (" + modality() + ") has no images: "
            + objects.get(0).whyNotImage().orElse("") + " in " + objects.get(0).source());
      }
      layout = assembler.layout(slices());
    }
    return layout;
  }

  /** What assembly found; empty for series without images. */
  public List<Finding> findings() {
    return hasImages() ? layout().findings() : List.of();
  }

  /**
   * The series as a volume in LPS with rescaled values.
   *
   * @throws SeriesAssemblyException when the slices do not form one volume or a slice cannot be decoded; the message
   *     names the series and the slices
   */
  public Volume volume() {
    return layout().load();
  }

  /** The series UID, modality and the number of objects. */
  @Override
  public String toString() {
    return "DicomSeries[" + seriesInstanceUid + ", " + modality() + ", " + objects.size() + " objects]";
  }
}
