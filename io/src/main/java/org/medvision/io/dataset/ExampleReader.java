package org.medvision.io.dataset;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.BagField;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.TextField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.VolumePreprocessing;
import org.medvision.api.data.Windowing;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.ProgressListener;
import org.medvision.io.image.ImagePreprocessor;
import org.medvision.io.image.Images;
import org.medvision.io.transform.VolumeOps;
import org.medvision.io.volume.Reorientation;
import org.medvision.io.volume.Volume;
import org.medvision.io.volume.VolumeFiles;

/**
 * Decodes rows into {@link Example}s as a task's {@link DataSchema} says: each field read from its file or cell and
 * preprocessed, masks kept aligned with their image or volume, optional augmentation drawn once per example and
 * applied to every spatial field alike.
 *
 * <p>Per field kind:
 * <ul>
 *   <li>image: {@link Images#read} with the field's windowing (or the reader's override) for DICOM, then
 *       augmentation (when on), then {@link ImagePreprocessor}: float32 [C, H, W];
 *   <li>volume: read ({@link VolumeFiles}), put in canonical voxel order ({@link Reorientation}), cropped to the
 *       bounding box of its crop mask plus the margin, clipped and scaled to [0, 1], resized to D×H×W, then
 *       augmented (a left-right flip and brightness/contrast, when on): float32 [1, D, H, W];
 *   <li>mask: read, checked to lie on its field's source grid, moved through the same reorientation, crop, resize
 *       (then made binary at 0.5) and augmentation flip, reduced to its grid when it has one: float32 [1, ...]; an
 *       optional mask a row lacks is zeros with {@code <name>.present} = 0, or estimated when the field has an
 *       estimator;
 *   <li>label: an int64 scalar class index, or float32 [K] of 0/1 for a multi-label field;
 *   <li>attribute: a float32 scalar (the cell, else the mask ratio of the raw masks, else NaN);
 *   <li>text: into {@link Example#text()}; bag: float32 [M, C, H, W] plus {@code <name>.mask} [M].
 * </ul>
 * Immutable and thread-safe.
 */
public final class ExampleReader {
  private static final long MAX_BAG_FILES = 100_000;

  private final DataSchema schema;
  private final Set<String> fields;
  private final Windowing windowOverride;
  private final Augmentation augmentation;
  private final Consumer<String> warnings;

  /**
   * A reader of {@code fields} (names; a mask a volume is cropped to is read when the volume is, whether listed or
   * not).
   *
   * @param windowOverride the windowing to use for every image field's DICOM sources instead of the field's own, or
   *     null
   * @param augmentation the training augmentation, or null for none
   */
  public ExampleReader(DataSchema schema, Set<String> fields, Windowing windowOverride, Augmentation augmentation) {
    this(schema, fields, windowOverride, augmentation, warning -> {});
  }

  private ExampleReader(DataSchema schema, Set<String> fields, Windowing windowOverride, Augmentation augmentation,
      Consumer<String> warnings) {
    this.schema = schema;
    Set<String> wanted = new LinkedHashSet<>();
    for (Field f : schema.fields()) {
      if (fields.contains(f.name())) {
        wanted.add(f.name());
      }
    }
    for (String f : fields) {
      if (schema.field(f).isEmpty()) {
        throw new MedvisionException("no field '" + f + "' in the data schema; fields: "
            + schema.fields().stream().map(Field::name).toList());
      }
    }
    this.fields = wanted;
    this.windowOverride = windowOverride;
    this.augmentation = augmentation;
    this.warnings = warnings;
  }

  /** A reader of every field of {@code schema} except attributes, without augmentation. */
  public static ExampleReader all(DataSchema schema, Windowing windowOverride) {
    Set<String> names = new LinkedHashSet<>();
    for (Field f : schema.fields()) {
      if (!(f instanceof AttributeField)) {
        names.add(f.name());
      }
    }
    return new ExampleReader(schema, names, windowOverride, null);
  }

  /** A reader of what a model needs to run ({@link DataSchema#inputFields()}), without augmentation. */
  public static ExampleReader inputs(DataSchema schema, Windowing windowOverride) {
    return new ExampleReader(schema, schema.inputFields(), windowOverride, null);
  }

  /** This reader with {@code a} as its augmentation (null for none). */
  public ExampleReader withAugmentation(Augmentation a) {
    return new ExampleReader(schema, fields, windowOverride, a, warnings);
  }

  /**
   * This reader telling {@code sink} what the files it reads warn about: the DICOM rules a file breaks that the
   * lenient reader reads past, and what a DICOM series lacks (as {@link org.medvision.io.dicom.StudyScanner} warns).
   * Each distinct message is told once, however often its file is read (every epoch reads every file again), and the
   * reader shares that memory with the readers made from it.
   */
  public ExampleReader withWarnings(Consumer<String> sink) {
    Set<String> told = ConcurrentHashMap.newKeySet();
    return new ExampleReader(schema, fields, windowOverride, augmentation, message -> {
      if (told.add(message)) {
        sink.accept(message);
      }
    });
  }

  private ProgressListener volumeWarnings() {
    return new ProgressListener() {
      @Override
      public void progress(long done, long total) {}

      @Override
      public void warning(String message) {
        warnings.accept(message);
      }
    };
  }

  /** The windowing image field {@code f} uses: the override, or the field's own. */
  public Windowing windowing(ImageField f) {
    return windowOverride != null ? windowOverride : f.windowing();
  }

  /** The schema it reads. */
  public DataSchema schema() {
    return schema;
  }

  /**
   * An example with where its volume fields came from.
   *
   * @param example the decoded example
   * @param volumes volume field name to its geometry
   */
  public record Decoded(Example example, Map<String, VolumeGeometry> volumes) {}

  /**
   * Decodes row {@code row}.
   *
   * @param epoch the training epoch (augmentation seeds), 0 when not training
   * @param index the draw's index (augmentation seeds): the row's index in its data set, or a distinct index for a
   *     repeated draw of it ({@link ExampleLoader})
   * @throws DatasetException naming the row (and file) for anything that cannot be read or does not fit
   */
  public Example read(Sample row, int epoch, int index) {
    return decode(row, epoch, index, Map.of()).example();
  }

  /**
   * Decodes row {@code row} and reports its volumes' geometry (for writing maps back onto the scans).
   *
   * @param given field name to an already loaded volume (e.g. a series the caller assembled), used instead of
   *     reading the field's file
   */
  public Decoded decode(Sample row, int epoch, int index, Map<String, Volume> given) {
    Augmentation.Params params = augmentation == null ? Augmentation.Params.IDENTITY
        : augmentation.params(epoch, index);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    Map<String, String> text = new LinkedHashMap<>();
    Map<String, VolumeGeometry> geometry = new LinkedHashMap<>();
    Map<String, Volume> rawVolumes = new LinkedHashMap<>();
    Map<String, Volume> rawMasks = new LinkedHashMap<>();
    try {
      for (Field f : schema.fields()) {
        if (!fields.contains(f.name())) {
          continue;
        }
        if (f instanceof ImageField img) {
          tensors.put(f.name(), image(row, img, params));
        } else if (f instanceof VolumeField vol) {
          volume(row, vol, params, tensors, geometry, rawVolumes, rawMasks, given);
        } else if (f instanceof MaskField mask) {
          if (!tensors.containsKey(f.name())) {
            mask(row, mask, params, tensors, geometry, rawVolumes, rawMasks);
          }
        } else if (f instanceof LabelField label) {
          tensors.put(f.name(), label(row, label));
        } else if (f instanceof AttributeField attr) {
          tensors.put(f.name(), Tensor.of(Shape.scalar(), (float) attribute(row, attr, rawMasks)));
        } else if (f instanceof TextField t) {
          String value = row.value(t.column());
          if (value == null && t.required()) {
            throw new DatasetException(row.where() + ": no " + t.column());
          }
          text.put(f.name(), value == null ? "" : value);
        } else if (f instanceof BagField bag) {
          bag(row, bag, tensors);
        }
      }
    } catch (DatasetException e) {
      throw e;
    } catch (MedvisionException e) {
      throw new DatasetException(row.where() + ": " + e.getMessage(), e);
    }
    return new Decoded(new Example(row.id(), row.patientId(), row.where(), tensors, text), geometry);
  }

  private Tensor image(Sample row, ImageField f, Augmentation.Params params) {
    Tensor decoded = Images.read(path(row, f.column(), f.name()), windowing(f), warnings);
    return preprocessImage(f, decoded, params);
  }

  /**
   * Preprocesses an image already decoded to [C, H, W] in [0, 1] (e.g. a windowed DICOM frame) as image field
   * {@code f} says, without augmentation.
   */
  public Tensor preprocessImage(ImageField f, Tensor decoded) {
    return preprocessImage(f, decoded, Augmentation.Params.IDENTITY);
  }

  private Tensor preprocessImage(ImageField f, Tensor decoded, Augmentation.Params params) {
    Tensor augmented = params == Augmentation.Params.IDENTITY ? decoded : Augmentation.apply(decoded, params);
    return new ImagePreprocessor(f.preprocessing()).apply(augmented);
  }

  private void volume(Sample row, VolumeField f, Augmentation.Params params, Map<String, Tensor> tensors,
      Map<String, VolumeGeometry> geometry, Map<String, Volume> rawVolumes, Map<String, Volume> rawMasks,
      Map<String, Volume> given) {
    Volume source = given.containsKey(f.name()) ? given.get(f.name())
        : VolumeFiles.read(path(row, f.column(), f.name()), volumeWarnings());
    rawVolumes.put(f.name(), source);
    VolumePreprocessing prep = f.preprocessing();
    Reorientation r = Reorientation.of(source.affine());
    Volume canonical = r.apply(source);
    int[] box = cropBox(row, f, source, r, canonical, rawMasks);
    float[] cropped = VolumeOps.crop(canonical.toArray(), canonical.dims(), box);
    int[] boxDims = {box[3] - box[0], box[4] - box[1], box[5] - box[2]};
    if (Double.isNaN(prep.percentile())) {
      VolumeOps.clipAndScale(cropped, prep.clipLow(), prep.clipHigh());
    } else {
      double[] range = percentileRange(cropped, prep.percentile());
      VolumeOps.clipAndScale(cropped, range[0], range[1]);
    }
    int[] size = prep.size();
    int[] out = {size[2], size[1], size[0]};
    float[] resized = VolumeOps.resize(cropped, boxDims, out);
    augmentVolume(resized, out, params, false);
    tensors.put(f.name(), Tensor.of(Shape.of(1, size[0], size[1], size[2]), resized));
    geometry.put(f.name(), new VolumeGeometry(source.dims(), source.affine(), r, box, size));
    // Masks aligned to this volume go through the same steps now that its geometry is known.
    for (MaskField m : schema.fields(MaskField.class)) {
      if (m.alignedTo().equals(f.name()) && fields.contains(m.name())) {
        alignedMask(row, m, source, r, box, size, params, tensors, rawMasks);
      }
    }
  }

  /**
   * The crop box of volume field {@code f} in canonical voxels: the whole volume, or the bounding box of its crop mask
   * widened by the margin.
   *
   * @throws DatasetException naming the row when the crop mask is absent or empty
   */
  private int[] cropBox(Sample row, VolumeField f, Volume source, Reorientation r, Volume canonical,
      Map<String, Volume> rawMasks) {
    VolumePreprocessing prep = f.preprocessing();
    int[] dims = canonical.dims();
    if (prep.cropToMask().isEmpty()) {
      return new int[] {0, 0, 0, dims[0], dims[1], dims[2]};
    }
    MaskField cropMask = (MaskField) schema.field(prep.cropToMask()).orElseThrow();
    Volume mask = rawMask(row, cropMask, source, rawMasks);
    if (mask == null) {
      throw new DatasetException(row.where() + ": " + f.name() + " is cropped to " + cropMask.name()
          + ", which this row lacks" + (cropMask.estimator() == null ? "" : " and could not be estimated"));
    }
    double[] spacing = canonical.spacing();
    int[] margin = new int[3];
    for (int a = 0; a < 3; a++) {
      margin[a] = (int) Math.ceil(prep.cropMarginMm() / spacing[a]);
    }
    int[] box = VolumeOps.boundingBox(r.apply(mask).toArray(), dims, margin);
    if (box == null) {
      boolean estimated = row.value(cropMask.column()) == null && cropMask.estimator() != null;
      throw new DatasetException(row.where() + ": " + cropMask.name() + " is empty, so " + f.name()
          + " cannot be cropped to it" + (estimated ? "; it was estimated from " + f.name() + " ("
          + cropMask.estimator().description() + ") and found nothing: is this file a scan of the kind the task "
          + "reads (e.g. CT in Hounsfield units), not a mask or label volume?" : ""));
    }
    return box;
  }

  private void alignedMask(Sample row, MaskField m, Volume source, Reorientation r, int[] box, int[] size,
      Augmentation.Params params, Map<String, Tensor> tensors, Map<String, Volume> rawMasks) {
    Volume mask = rawMask(row, m, source, rawMasks);
    String present = MaskField.presenceKey(m.name());
    int[] grid = m.grid() == null ? size : m.grid();
    if (mask == null) {
      tensors.put(m.name(), Tensor.zeros(DType.FLOAT32, Shape.of(1, grid[0], grid[1], grid[2])));
      tensors.put(present, Tensor.of(Shape.scalar(), 0f));
      return;
    }
    Volume canonical = r.apply(mask);
    float[] cropped = VolumeOps.crop(canonical.toArray(), canonical.dims(), box);
    int[] boxDims = {box[3] - box[0], box[4] - box[1], box[5] - box[2]};
    for (int i = 0; i < cropped.length; i++) {
      cropped[i] = cropped[i] != 0 ? 1f : 0f;
    }
    int[] out = {size[2], size[1], size[0]};
    float[] resized = VolumeOps.resize(cropped, boxDims, out);
    VolumeOps.binarize(resized);
    augmentVolume(resized, out, params, true);
    if (m.grid() != null) {
      resized = VolumeOps.reduce(resized, out, new int[] {grid[2], grid[1], grid[0]}, m.threshold());
    }
    tensors.put(m.name(), Tensor.of(Shape.of(1, grid[0], grid[1], grid[2]), resized));
    tensors.put(present, Tensor.of(Shape.scalar(), 1f));
  }

  /** The raw mask of a row on {@code source}'s grid: read and checked, or estimated, or null when absent. */
  private Volume rawMask(Sample row, MaskField m, Volume source, Map<String, Volume> rawMasks) {
    if (rawMasks.containsKey(m.name())) {
      return rawMasks.get(m.name());
    }
    String cell = row.value(m.column());
    Volume mask;
    if (cell != null) {
      Path file = Path.of(cell);
      mask = MaskFiles.volume(file, row.where());
      VolumeField vol = (VolumeField) schema.field(m.alignedTo()).orElseThrow();
      String volumeCell = row.value(vol.column());
      VolumeFiles.checkAligned(source, volumeCell == null ? Path.of(row.id()) : Path.of(volumeCell), mask, file);
    } else if (m.estimator() != null) {
      byte[] estimate = m.estimator().estimate(source.frame(0).toArray(), source.dims(), source.spacing());
      float[] v = new float[estimate.length];
      for (int i = 0; i < v.length; i++) {
        v[i] = estimate[i];
      }
      mask = Volume.adopt(source.dims(), v, source.affine());
    } else if (m.required()) {
      throw new DatasetException(row.where() + ": no " + m.column() + "; the task needs this mask for every scan");
    } else {
      mask = null;
    }
    rawMasks.put(m.name(), mask);
    return mask;
  }

  private void mask(Sample row, MaskField m, Augmentation.Params params, Map<String, Tensor> tensors,
      Map<String, VolumeGeometry> geometry, Map<String, Volume> rawVolumes, Map<String, Volume> rawMasks) {
    Field target = schema.field(m.alignedTo()).orElseThrow();
    if (target instanceof VolumeField) {
      // Read only for its own sake (its volume is not among the fields read): decode the volume's geometry first.
      Volume source = rawVolumes.containsKey(target.name()) ? rawVolumes.get(target.name())
          : VolumeFiles.read(path(row, target.column(), target.name()), volumeWarnings());
      VolumePreprocessing prep = ((VolumeField) target).preprocessing();
      Reorientation r = Reorientation.of(source.affine());
      VolumeGeometry g = geometry.get(target.name());
      int[] box = g != null ? g.box() : cropBox(row, (VolumeField) target, source, r, r.apply(source), rawMasks);
      alignedMask(row, m, source, r, box, prep.size(), params, tensors, rawMasks);
      return;
    }
    ImageField image = (ImageField) target;
    String cell = row.value(m.column());
    ImagePreprocessing ip = image.preprocessing();
    int[] grid = m.grid() == null ? new int[] {ip.height(), ip.width()} : m.grid();
    if (cell == null) {
      if (m.required()) {
        throw new DatasetException(row.where() + ": no " + m.column());
      }
      tensors.put(m.name(), Tensor.zeros(DType.FLOAT32, Shape.of(1, grid[0], grid[1])));
      tensors.put(MaskField.presenceKey(m.name()), Tensor.of(Shape.scalar(), 0f));
      return;
    }
    Tensor mask = MaskFiles.image(Path.of(cell), row.where());
    Tensor moved = Augmentation.applyToMask(mask, params);
    ImagePreprocessing plain = new ImagePreprocessing(1, ip.height(), ip.width(), new float[] {0},
        new float[] {1});
    float[] resized = new ImagePreprocessor(plain).apply(moved).toFloatArray();
    VolumeOps.binarize(resized);
    if (m.grid() != null) {
      resized = VolumeOps.reduce(resized, new int[] {ip.width(), ip.height(), 1}, new int[] {grid[1], grid[0], 1},
          m.threshold());
    }
    tensors.put(m.name(), Tensor.of(Shape.of(1, grid[0], grid[1]), resized));
    tensors.put(MaskField.presenceKey(m.name()), Tensor.of(Shape.scalar(), 1f));
  }

  private Tensor label(Sample row, LabelField f) {
    String cell = row.value(f.column());
    if (cell == null) {
      throw new DatasetException(row.where() + ": no " + f.column() + "; accepted: " + f.accepted());
    }
    if (!f.multiLabel()) {
      int c = f.classIndex(cell);
      if (c < 0) {
        throw new DatasetException(row.where() + ": " + f.column() + " '" + cell + "' is not a class of "
            + f.classes() + "; accepted: " + f.accepted());
      }
      return Tensor.ofLongs(Shape.scalar(), c);
    }
    float[] hot = new float[f.classes().size()];
    for (String part : cell.split(Pattern.quote(f.separator()), -1)) {
      if (part.isBlank()) {
        continue;
      }
      int c = f.classIndex(part);
      if (c == -2) {
        throw new DatasetException(row.where() + ": " + f.column() + " lists '" + part.trim() + "', which is not one"
            + " of " + f.classes() + "; accepted: " + f.accepted());
      }
      if (c >= 0) {
        hot[c] = 1;
      }
    }
    return Tensor.of(Shape.of(hot.length), hot);
  }

  private double attribute(Sample row, AttributeField f, Map<String, Volume> rawMasks) {
    String cell = f.column().isEmpty() ? null : row.value(f.column());
    if (cell != null) {
      try {
        return Double.parseDouble(cell);
      } catch (NumberFormatException e) {
        throw new DatasetException(row.where() + ": " + f.column() + " '" + cell + "' is not a number", e);
      }
    }
    if (!f.derived()) {
      return Double.NaN;
    }
    String num = row.value(((MaskField) schema.field(f.ratioOf()).orElseThrow()).column());
    String den = row.value(((MaskField) schema.field(f.ratioTo()).orElseThrow()).column());
    if (num == null || den == null) {
      return Double.NaN;
    }
    long bottom = MaskFiles.count(Path.of(den), row.where());
    return bottom == 0 ? Double.NaN : (double) MaskFiles.count(Path.of(num), row.where()) / bottom;
  }

  private void bag(Sample row, BagField f, Map<String, Tensor> tensors) {
    String cell = row.value(f.column());
    List<Path> files = new ArrayList<>();
    Path p = Path.of(cell);
    if (Files.isDirectory(p)) {
      try (Stream<Path> s = Files.list(p)) {
        s.filter(Files::isRegularFile).filter(x -> !x.getFileName().toString().startsWith("."))
            .sorted().limit(MAX_BAG_FILES).forEach(files::add);
      } catch (IOException e) {
        throw new DatasetException(row.where() + ": cannot list bag folder " + p + ": " + e.getMessage(), e);
      }
    } else {
      for (String part : cell.split(";")) {
        if (!part.isBlank()) {
          files.add(row.source().toAbsolutePath().getParent() == null ? Path.of(part.trim())
              : row.source().toAbsolutePath().getParent().resolve(part.trim()).normalize());
        }
      }
    }
    if (files.isEmpty()) {
      throw new DatasetException(row.where() + ": bag " + cell + " holds no instances");
    }
    ImagePreprocessing ip = f.instance().preprocessing();
    int m = f.maxInstances();
    int per = ip.channels() * ip.height() * ip.width();
    float[] data = new float[m * per];
    float[] valid = new float[m];
    for (int i = 0; i < Math.min(m, files.size()); i++) {
      Tensor t = preprocessImage(f.instance(), Images.read(files.get(i), windowing(f.instance()), warnings));
      System.arraycopy(t.toFloatArray(), 0, data, i * per, per);
      valid[i] = 1;
    }
    tensors.put(f.name(), Tensor.of(Shape.of(m, ip.channels(), ip.height(), ip.width()), data));
    tensors.put(BagField.maskKey(f.name()), Tensor.of(Shape.of(m), valid));
  }

  /** Flips left-right and jitters intensities as {@code params} say; masks only flip. */
  private static void augmentVolume(float[] v, int[] dims, Augmentation.Params params, boolean mask) {
    if (params.flip()) {
      int nx = dims[0];
      for (int row = 0; row < dims[1] * dims[2]; row++) {
        int base = row * nx;
        for (int i = 0, j = nx - 1; i < j; i++, j--) {
          float t = v[base + i];
          v[base + i] = v[base + j];
          v[base + j] = t;
        }
      }
    }
    if (!mask && (params.brightness() != 1 || params.contrast() != 1)) {
      double sum = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.min(1, Math.max(0, v[i] * params.brightness()));
        sum += v[i];
      }
      double mean = sum / v.length;
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) Math.min(1, Math.max(0, mean + params.contrast() * (v[i] - mean)));
      }
    }
  }

  /** The minimum and the {@code percentile}-th percentile (nearest rank) of {@code v}. */
  private static double[] percentileRange(float[] v, double percentile) {
    float[] sorted = v.clone();
    Arrays.sort(sorted);
    int k = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(percentile / 100 * sorted.length) - 1));
    double low = sorted[0];
    double high = sorted[k];
    return new double[] {low, high > low ? high : low + 1};
  }

  private static Path path(Sample row, String column, String field) {
    String cell = row.value(column);
    if (cell == null) {
      throw new DatasetException(row.where() + ": no " + column + " for " + field);
    }
    return Path.of(cell);
  }

  @Override
  public String toString() {
    return "ExampleReader" + fields + (augmentation == null ? "" : " with augmentation")
        + (windowOverride == null ? "" : " window " + windowOverride.toString().toLowerCase(Locale.ROOT));
  }
}
