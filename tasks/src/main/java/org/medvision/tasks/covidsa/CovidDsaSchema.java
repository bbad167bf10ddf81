package org.medvision.tasks.covidsa;

import java.util.List;
import java.util.Map;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;

/**
 * What one DSA-Net example is: a chest CT, its lung mask, an optional infection mask, the class label and the
 * infection ratio. Manifest columns have the fields' names:
 *
 * <pre>
 * ct,lung_mask,infection_mask,label,patient_id
 * scans/0001.nii.gz,masks/0001_lung.nii.gz,masks/0001_infection.nii.gz,COVID-19,P0001
 * scans/0002/,masks/0002_lung.nii.gz,,CAP,P0002
 * </pre>
 *
 * <ul>
 *   <li>{@code ct}: a NIfTI file or a DICOM series folder, cropped to {@code lung_mask}'s bounding box plus
 *       {@value #CROP_MARGIN_MM} mm, clipped to [{@value #HU_LOW}, {@value #HU_HIGH}] HU and scaled to [0, 1], resized to
 *       the {@code input} option (papers.md §3.3; the margin is a proposal, so that pleural lesions at the box's edge
 *       keep some context).
 *   <li>{@code lung_mask}: required in manifests (the paper's masks come from a segmentation network); when a bare CT
 *       is predicted on, {@link LungMaskEstimator} makes one from the HU values.
 *   <li>{@code infection_mask}: optional; reduced to the attention map's grid (a cell is infected when at least half
 *       its voxels are), it is the attention loss's target. A scan without one gets zeros and
 *       {@code infection_mask.present} = 0, and no attention loss.
 *   <li>{@code label}: {@code cap} or {@code covid}, with the synonyms of {@link CovidDsaLabels}; splits are stratified
 *       by it.
 *   <li>{@code infection_ratio}: the column when given, else |infection_mask| / |lung_mask| from the raw masks; the
 *       size-balanced sampler bins it.
 * </ul>
 */
final class CovidDsaSchema {
  /** The CT field and graph input. */
  static final String CT = "ct";
  /** The lung mask field. */
  static final String LUNG_MASK = "lung_mask";
  /** The infection mask field. */
  static final String INFECTION_MASK = "infection_mask";
  /** The label field. */
  static final String LABEL = "label";
  /** The infection ratio attribute. */
  static final String INFECTION_RATIO = "infection_ratio";
  /** Margin around the lung bounding box, in millimetres (a proposal). */
  static final double CROP_MARGIN_MM = 10;
  /** Lower HU clip (papers.md §3.3). */
  static final double HU_LOW = -1200;
  /** Upper HU clip (papers.md §3.3). */
  static final double HU_HIGH = 600;
  /** Fraction of a grid cell's voxels that makes the cell infected. */
  static final double GRID_THRESHOLD = 0.5;

  private CovidDsaSchema() {}

  /** The schema for configuration {@code c}. */
  static DataSchema of(CovidDsaConfig c) {
    VolumePreprocessing prep = new VolumePreprocessing(LUNG_MASK, CROP_MARGIN_MM, HU_LOW, HU_HIGH, Double.NaN,
        c.input());
    VolumeField ct = new VolumeField(CT, CT, prep, true);
    MaskField lung = new MaskField(LUNG_MASK, LUNG_MASK, CT, null, GRID_THRESHOLD, LungMaskEstimator.standard(),
        true);
    MaskField infection = new MaskField(INFECTION_MASK, INFECTION_MASK, CT, c.grid(), GRID_THRESHOLD, null, false);
    AttributeField ratio = AttributeField.maskRatio(INFECTION_RATIO, INFECTION_MASK, LUNG_MASK);
    return new DataSchema(List.of(ct, lung, infection, CovidDsaLabels.field(), ratio), Map.of(CT, CT), LABEL);
  }
}
