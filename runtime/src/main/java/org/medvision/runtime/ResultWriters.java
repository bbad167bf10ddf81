package org.medvision.runtime;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.imageio.ImageIO;
import org.medvision.api.AtomicFiles;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.pipeline.ClassProbabilities;
import org.medvision.api.pipeline.Detection;
import org.medvision.api.pipeline.Detections;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.pipeline.GeneratedImage;
import org.medvision.api.pipeline.LabelProbabilities;
import org.medvision.api.pipeline.Prediction;
import org.medvision.api.pipeline.SpatialMap;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.dicom.DataSet;
import org.medvision.dicom.Tags;
import org.medvision.dicom.iod.Findings;
import org.medvision.dicom.iod.HeatMapOverlay;
import org.medvision.dicom.iod.SecondaryCaptureWriter;
import org.medvision.dicom.iod.Segment;
import org.medvision.dicom.iod.SegmentationWriter;
import org.medvision.dicom.iod.StructuredReportWriter;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.WindowedSlice;
import org.medvision.io.nifti.NiftiWriter;
import org.medvision.io.transform.Window;
import org.medvision.io.volume.SliceRecord;
import org.medvision.io.volume.Volume;

/**
 * Turns a prediction's typed results into files, dispatching on the result type: class and label probabilities into a
 * Comprehensive SR (for label probabilities, the labels at or above the threshold are its findings), spatial maps and
 * generated images into NIfTI volumes (scans), PNG overlays (image files) and Secondary Capture overlays (DICOM),
 * detections with masks into a DICOM SEG. For 2-D classifiers without a map of their own, {@code --write-sc} draws an
 * occlusion-sensitivity map ({@link Occlusion}). Every DICOM object joins the source study as a new series and records
 * the model's provenance; each file is written atomically.
 */
final class ResultWriters {
  /** Opacity of the hottest heat-map value in overlays. */
  static final double OVERLAY_OPACITY = 0.5;

  private final Predictor predictor;
  private final PredictionOptions options;
  /** The SR text item that says an input is outside the task's declared modalities or body parts. */
  static final String INPUT_WARNING = "input warning";

  private final Map<String, String> srProvenance = new LinkedHashMap<>();
  private final ExampleReader reader;
  private final String taskName;
  /** File name stems used so far in this run. */
  private final Set<String> stems = new HashSet<>();
  /** The caller's file name stems, or null to derive unique ones ({@link #uniqueStem}). */
  private final Function<PredictionInput, String> names;

  ResultWriters(Predictor predictor, PredictionOptions options, Map<String, Object> provenance, ExampleReader reader,
      Function<PredictionInput, String> names) {
    this.predictor = predictor;
    this.names = names;
    this.options = options;
    this.reader = reader;
    this.taskName = predictor.model().task().name();
    srProvenance.put(Findings.MODEL, predictor.model().task().graph().name());
    srProvenance.put(Findings.ENGINE, String.valueOf(provenance.get("engine")));
    srProvenance.put(Findings.ENGINE_VERSION, String.valueOf(provenance.get("engineVersion")));
    srProvenance.put(Findings.DEVICE, String.valueOf(provenance.get("device")));
    srProvenance.put("configuration", predictor.model().task().config().toString());
    List<ModelSource.Member> members = predictor.model().members();
    if (members.size() == 1) {
      srProvenance.put(Findings.WEIGHTS_SHA256, members.get(0).sha256());
    } else {
      srProvenance.put("ensemble", predictor.model().file().getFileName().toString() + " (mean of " + members.size()
          + " members)");
      for (ModelSource.Member m : members) {
        srProvenance.put("member " + m.name() + " " + Findings.WEIGHTS_SHA256, m.sha256());
      }
    }
  }

  void prepareFolders() {
    for (Path dir : new Path[] {options.srDir(), options.scDir(), options.mapDir(), options.segDir()}) {
      if (dir != null) {
        StudyPrediction.createFolder(dir);
      }
    }
  }

  /** Writes what the options ask for one input; returns the files written. */
  List<Path> write(PredictionInput in, StudyPrediction.Decoded decoded, ExampleResult result,
      Consumer<String> warnings) {
    List<Path> written = new ArrayList<>();
    List<DicomImage> sources = in.dicomSources();
    String stem = names != null ? names.apply(in) : uniqueStem(in);
    for (Map.Entry<String, Prediction> e : result.predictions().entrySet()) {
      Prediction p = e.getValue();
      if (options.srDir() != null && (p instanceof ClassProbabilities || p instanceof LabelProbabilities)) {
        if (sources.isEmpty()) {
          warnings.accept(in.label() + " has no DICOM source to reference; no SR is written for it");
        } else {
          written.add(sr(p, sources, stem, e.getKey(), AcquisitionCheck.warning(predictor.model().task(), in)
              .orElse(null)));
        }
      }
      if (p instanceof SpatialMap map) {
        written.addAll(map(in, decoded, map.values(), e.getKey(), stem, warnings));
      } else if (p instanceof GeneratedImage g && options.mapDir() != null) {
        written.addAll(generated(in, decoded, g, e.getKey(), stem, warnings));
      } else if (p instanceof Detections d && options.segDir() != null) {
        written.addAll(segmentation(in, decoded, d, e.getKey(), stem, warnings));
      }
    }
    boolean hasMap = result.predictions().values().stream().anyMatch(p -> p instanceof SpatialMap);
    if (options.scDir() != null && !hasMap && decoded.slice() != null) {
      result.first(ClassProbabilities.class).ifPresent(c -> {
        if (sources.isEmpty()) {
          warnings.accept(in.label() + " has no DICOM source to reference; no Secondary Capture is written for it");
          return;
        }
        float[] heat = Occlusion.map(predictor, (ImageField) reader.schema().primaryInput(), reader,
            decoded.slice(), c.top());
        Path file = options.scDir().resolve("SC_" + stem + ".dcm");
        new SecondaryCaptureWriter().write(file, sources.get(0).dataSet(), decoded.slice().grey8(), heat,
            decoded.slice().rows(), decoded.slice().columns(), new HeatMapOverlay(OVERLAY_OPACITY),
            "medvision " + taskName + " occlusion sensitivity of '" + c.topLabel() + "'");
        written.add(file);
      });
    }
    return written;
  }

  /** An SR; {@code inputWarning} (may be null) is recorded as a text item beside the provenance. */
  private Path sr(Prediction p, List<DicomImage> sources, String stem, String output, String inputWarning) {
    List<String> labels = p instanceof ClassProbabilities c ? c.labels() : ((LabelProbabilities) p).labels();
    float[] probs = p instanceof ClassProbabilities c ? c.probabilities()
        : ((LabelProbabilities) p).probabilities();
    List<Double> values = new ArrayList<>();
    for (float v : probs) {
      values.add((double) v);
    }
    List<DataSet> data = new ArrayList<>();
    sources.forEach(s -> data.add(s.dataSet()));
    // The shortest decimal of a float threshold (0.3, not 0.30000001192...) reads well in the report and selects the
    // same labels: no other float lies between a float and its shortest decimal.
    double threshold = p instanceof LabelProbabilities l ? Double.parseDouble(Float.toString(l.threshold()))
        : Double.NaN;
    Path file = options.srDir().resolve("SR_" + stem + ".dcm");
    Map<String, String> provenance = srProvenance;
    if (inputWarning != null) {
      provenance = new LinkedHashMap<>(srProvenance);
      provenance.put(INPUT_WARNING, inputWarning);
    }
    new StructuredReportWriter().write(file, new Findings(taskName, labels, values, threshold, provenance, data));
    return file;
  }

  private List<Path> map(PredictionInput in, StudyPrediction.Decoded decoded, Tensor values, String output,
      String stem, Consumer<String> warnings) {
    List<Path> written = new ArrayList<>();
    String description = "medvision " + taskName + " " + output;
    if (decoded.geometry() != null) {
      Volume onSource = decoded.geometry().toSource(values);
      if (options.mapDir() != null) {
        Path file = options.mapDir().resolve(output + "_" + stem + ".nii.gz");
        NiftiWriter.nifti1().withDescription(description).write(onSource, file);
        written.add(file);
      }
      Path scDir = options.scDir() != null ? options.scDir() : options.mapDir();
      if (scDir != null && !in.dicomSources().isEmpty()) {
        written.addAll(seriesOverlays((PredictionInput.Scan) in, decoded.volume(), onSource, scDir, output,
            description));
      }
      return written;
    }
    Path scDir = options.scDir() != null ? options.scDir() : options.mapDir();
    int rows = (int) values.shape().dim(0);
    int columns = (int) values.shape().dim(1);
    if (decoded.slice() == null) {
      warnings.accept(in.label() + ": a colour image gets no map overlay");
      return written;
    }
    if (scDir != null && !in.dicomSources().isEmpty()) {
      Path file = scDir.resolve(output + "_SC_" + stem + ".dcm");
      new SecondaryCaptureWriter().write(file, in.dicomSources().get(0).dataSet(), decoded.slice().grey8(),
          values.toFloatArray(), rows, columns, new HeatMapOverlay(OVERLAY_OPACITY), description);
      written.add(file);
    } else if (options.mapDir() != null) {
      Path file = options.mapDir().resolve(output + "_" + stem + ".png");
      png(file, decoded.slice(), values.toFloatArray(), rows, columns);
      written.add(file);
    }
    return written;
  }

  /** One overlay per source slice of a DICOM series, the map resampled onto the series' grid. */
  private List<Path> seriesOverlays(PredictionInput.Scan scan, Volume volume, Volume map, Path dir, String output,
      String description) {
    List<Path> written = new ArrayList<>();
    VolumeField field = (VolumeField) reader.schema().primaryInput();
    double low = field.preprocessing().clipLow();
    double high = field.preprocessing().clipHigh();
    Window display = Double.isNaN(field.preprocessing().percentile()) ? new Window((low + high) / 2, high - low)
        : null;
    Map<String, DicomImage> bySop = new LinkedHashMap<>();
    scan.series().images().forEach(i -> bySop.put(i.dataSet().getString(Tags.SOP_INSTANCE_UID, i.source()), i));
    List<SliceRecord> slices = scan.series().layout().slices();
    int nx = volume.nx();
    int ny = volume.ny();
    float[] all = map.toArray();
    for (int z = 0; z < slices.size(); z++) {
      SliceRecord record = slices.get(z);
      DicomImage image = bySop.get(record.sopInstanceUid());
      if (image == null || image.frameCount() != 1) {
        continue;
      }
      float[] pixels = new float[nx * ny];
      float[] heat = new float[nx * ny];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = volume.get(i % nx, i / nx, z);
        heat[i] = all[z * nx * ny + i];
      }
      WindowedSlice slice = WindowedSlice.of(pixels, ny, nx, display != null ? display : Window.spanning(pixels));
      Path file = dir.resolve(output + "_SC_" + safe(record.sopInstanceUid()) + ".dcm");
      new SecondaryCaptureWriter().write(file, image.dataSet(), slice.grey8(), heat, ny, nx,
          new HeatMapOverlay(OVERLAY_OPACITY), description);
      written.add(file);
    }
    return written;
  }

  private List<Path> generated(PredictionInput in, StudyPrediction.Decoded decoded, GeneratedImage g, String output,
      String stem, Consumer<String> warnings) {
    Tensor image = g.image();
    if (decoded.geometry() != null && image.shape().rank() == 4 && image.shape().dim(0) == 1) {
      long[] d = image.shape().dims();
      Tensor values = image.reshape(Shape.of(d[1], d[2], d[3]));
      Path file = options.mapDir().resolve(output + "_" + stem + ".nii.gz");
      NiftiWriter.nifti1().withDescription("medvision " + taskName + " " + output)
          .write(decoded.geometry().toSource(values), file);
      return List.of(file);
    }
    if (image.shape().rank() == 3 && image.shape().dim(0) == 1) {
      int rows = (int) image.shape().dim(1);
      int columns = (int) image.shape().dim(2);
      float[] v = image.toFloatArray();
      float lo = Float.POSITIVE_INFINITY;
      float hi = Float.NEGATIVE_INFINITY;
      for (float x : v) {
        lo = Math.min(lo, x);
        hi = Math.max(hi, x);
      }
      Path file = options.mapDir().resolve(output + "_" + stem + ".png");
      png(file, WindowedSlice.of(v, rows, columns, new Window((lo + hi) / 2.0, Math.max(1e-6, hi - lo))), null, 0, 0);
      return List.of(file);
    }
    warnings.accept(in.label() + ": generated image '" + output + "' of shape " + image.shape()
        + " has no file format here");
    return List.of();
  }

  private List<Path> segmentation(PredictionInput in, StudyPrediction.Decoded decoded, Detections d, String output,
      String stem, Consumer<String> warnings) {
    if (in.dicomSources().size() != 1 || decoded.slice() == null) {
      warnings.accept(in.label() + ": detections are written as SEG for single DICOM images only");
      return List.of();
    }
    DataSet source = in.dicomSources().get(0).dataSet();
    int rows = source.getInt(Tags.ROWS);
    int columns = source.getInt(Tags.COLUMNS);
    List<Segment> segments = new ArrayList<>();
    int k = 0;
    for (Detection det : d.detections()) {
      k++;
      if (det.mask() == null) {
        continue;
      }
      segments.add(Segment.lesion(det.label() + " " + k, List.of(resizeMask(det.mask(), rows, columns))));
    }
    if (segments.isEmpty()) {
      return List.of();
    }
    Path file = options.segDir().resolve("SEG_" + stem + ".dcm");
    new SegmentationWriter().write(file, List.of(source), segments,
        new SegmentationWriter.Algorithm(taskName, predictor.model().task().graph().name()), "MEDVISION");
    return List.of(file);
  }

  /** A mask on its own grid resampled (nearest) to {@code rows} × {@code columns}, made binary at 0.5. */
  private static boolean[] resizeMask(Tensor mask, int rows, int columns) {
    int mh = (int) mask.shape().dim(0);
    int mw = (int) mask.shape().dim(1);
    float[] v = mask.toFloatArray();
    boolean[] out = new boolean[rows * columns];
    for (int r = 0; r < rows; r++) {
      int sr = Math.min(mh - 1, (int) ((r + 0.5) * mh / rows));
      for (int c = 0; c < columns; c++) {
        int sc = Math.min(mw - 1, (int) ((c + 0.5) * mw / columns));
        out[r * columns + c] = v[sr * mw + sc] >= 0.5f;
      }
    }
    return out;
  }

  /** The slice (grey) with the heat map blended over it, as an RGB PNG written atomically. */
  private static void png(Path file, WindowedSlice slice, float[] heat, int heatRows, int heatColumns) {
    int rows = slice.rows();
    int columns = slice.columns();
    byte[] grey = slice.grey8();
    byte[] rgb = heat == null ? toRgb(grey) : new HeatMapOverlay(OVERLAY_OPACITY).blend(grey, rows, columns, heat,
        heatRows, heatColumns);
    BufferedImage image = new BufferedImage(columns, rows, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < rows * columns; i++) {
      int px = ((rgb[3 * i] & 0xff) << 16) | ((rgb[3 * i + 1] & 0xff) << 8) | (rgb[3 * i + 2] & 0xff);
      image.setRGB(i % columns, i / columns, px);
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      AtomicFiles.write(file, bytes.toByteArray());
    } catch (IOException e) {
      throw new MedvisionException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  private static byte[] toRgb(byte[] grey) {
    byte[] out = new byte[grey.length * 3];
    for (int i = 0; i < grey.length; i++) {
      out[3 * i] = grey[i];
      out[3 * i + 1] = grey[i];
      out[3 * i + 2] = grey[i];
    }
    return out;
  }

  /**
   * {@link #stem} made unique in this run: image files of one name from different folders (a folder input walks its
   * subfolders, and class folders reuse names) would otherwise overwrite each other's results; later ones get
   * {@code _2}, {@code _3}, ...
   */
  private String uniqueStem(PredictionInput in) {
    String base = stem(in);
    String stem = base;
    for (int n = 2; !stems.add(stem); n++) {
      stem = base + "_" + n;
    }
    return stem;
  }

  /** A file name stem: the SOP Instance UID of a DICOM input (and the frame), else the input's file name. */
  private static String stem(PredictionInput in) {
    if (in instanceof PredictionInput.DicomFrame f) {
      String uid = safe(f.image().dataSet().getString(Tags.SOP_INSTANCE_UID, "unknown"));
      return f.image().frameCount() > 1 ? uid + "_f" + f.frame() : uid;
    }
    if (in instanceof PredictionInput.ImageFile f && f.dicom() != null) {
      return safe(f.dicom().dataSet().getString(Tags.SOP_INSTANCE_UID, "unknown"));
    }
    if (in instanceof PredictionInput.Scan s && s.series() != null) {
      return safe(s.series().seriesInstanceUid());
    }
    if (in instanceof PredictionInput.NiftiSlice s) {
      return safe(baseName(s.file())) + "_z" + (s.z() + 1);
    }
    Path file = in instanceof PredictionInput.ImageFile f ? f.file() : ((PredictionInput.Scan) in).path();
    return safe(baseName(file));
  }

  private static String baseName(Path file) {
    String n = file.getFileName().toString();
    for (String ext : new String[] {".nii.gz", ".nii", ".png", ".jpg", ".jpeg", ".bmp", ".dcm"}) {
      if (n.toLowerCase(Locale.ROOT).endsWith(ext)) {
        return n.substring(0, n.length() - ext.length());
      }
    }
    return n;
  }

  private static String safe(String s) {
    return s.replaceAll("[^0-9A-Za-z._-]", "_");
  }

}
