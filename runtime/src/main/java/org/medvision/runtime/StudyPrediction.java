package org.medvision.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.medvision.api.IoErrors;
import org.medvision.api.MedvisionException;
import org.medvision.api.data.DataSchema;
import org.medvision.api.data.Example;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.data.Windowing;
import org.medvision.api.pipeline.ExampleResult;
import org.medvision.api.tensor.Tensor;
import org.medvision.dicom.Tags;
import org.medvision.io.ProgressListener;
import org.medvision.io.dataset.ExampleReader;
import org.medvision.io.dataset.Sample;
import org.medvision.io.dataset.VolumeGeometry;
import org.medvision.io.dicom.WindowedSlice;
import org.medvision.io.image.Images;
import org.medvision.io.nifti.NiftiReader;
import org.medvision.io.transform.Window;
import org.medvision.io.volume.Volume;

/**
 * Predicts every input a user gives (image files, DICOM files, series folders, study trees, DICOMDIRs, NIfTI volumes)
 * with one model, and writes the results the options ask for (see {@link ResultWriters}).
 *
 * <p>Each input is read as the task's primary input field says ({@link PredictionInputs}), windowed by the field's
 * rule unless the options override it (the same rule training and evaluation use), preprocessed exactly as in
 * training, and predicted in batches; files are written as each batch finishes, so DICOM studies and volume inputs
 * are decoded a batch at a time (a NIfTI volume given to a 2-D task is read once and kept while its slices are
 * predicted).
 */
public final class StudyPrediction {
  private final Predictor predictor;
  private final ResultWriters writers;
  private final ExampleReader reader;
  private final Field primary;

  /**
   * A prediction with {@code predictor}.
   *
   * @param provenance what the written objects record about the model (see {@link Provenance})
   */
  public StudyPrediction(Predictor predictor, PredictionOptions options, Map<String, Object> provenance) {
    this(predictor, options, provenance, null);
  }

  /**
   * A prediction with {@code predictor} whose written files are named after {@code names} (each input's name must be
   * unique and a valid file name part), e.g. so that a job resumed later names its files as the first run did.
   *
   * @param names the file name stem of each input; null names files as {@code predict} does (the SOP Instance UID of a
   *     DICOM input, else the file name, made unique within this object by a counter)
   */
  public StudyPrediction(Predictor predictor, PredictionOptions options, Map<String, Object> provenance,
      Function<PredictionInput, String> names) {
    this.predictor = predictor;
    DataSchema schema = predictor.model().task().data();
    this.primary = schema.primaryInput();
    this.reader = ExampleReader.inputs(schema, options.window());
    this.writers = new ResultWriters(predictor, options, provenance, reader, names);
  }

  /**
   * One input's outcome.
   *
   * @param input what was predicted
   * @param result the model's results
   * @param written the files written for it
   */
  public record Outcome(PredictionInput input, ExampleResult result, List<Path> written) {
    /** Copies the list. */
    public Outcome {
      written = List.copyOf(written);
    }
  }

  /**
   * Predicts {@code inputs}.
   *
   * @param progress told after each batch
   * @param warnings told about inputs that cannot be written as asked (e.g. no DICOM source for an SR)
   * @throws UnreadableInputException naming the input that cannot be read
   * @throws MedvisionException naming the input that cannot be predicted; files already written stay
   */
  public List<Outcome> run(List<PredictionInput> inputs, ProgressListener progress, Consumer<String> warnings) {
    writers.prepareFolders();
    List<Outcome> out = new ArrayList<>(inputs.size());
    int batch = predictor.batchSize();
    progress.progress(0, inputs.size());
    for (int start = 0; start < inputs.size(); start += batch) {
      List<PredictionInput> chunk = inputs.subList(start, Math.min(inputs.size(), start + batch));
      List<Example> examples = new ArrayList<>(chunk.size());
      List<Decoded> decoded = new ArrayList<>(chunk.size());
      for (PredictionInput in : chunk) {
        Decoded d = decode(in);
        decoded.add(d);
        examples.add(d.example());
      }
      List<ExampleResult> results = predictor.predict(examples);
      for (int i = 0; i < chunk.size(); i++) {
        List<Path> written = writers.write(chunk.get(i), decoded.get(i), results.get(i), warnings);
        out.add(new Outcome(chunk.get(i), results.get(i), written));
      }
      progress.progress(start + chunk.size(), inputs.size());
    }
    return out;
  }

  /**
   * An input decoded for the model, with what writers need to bring results back onto it.
   *
   * @param example the model's input
   * @param slice for 2-D inputs, the windowed slice in [0, 1] (null for image files with colour); null for scans
   * @param volume for scans, the source volume; null otherwise
   * @param geometry for scans, how the volume became the tensor
   */
  record Decoded(Example example, WindowedSlice slice, Volume volume, VolumeGeometry geometry) {}

  private Decoded decode(PredictionInput in) {
    try {
      if (in instanceof PredictionInput.Scan scan) {
        VolumeField field = (VolumeField) primary;
        Volume volume = scan.series() != null ? scan.series().volume() : new NiftiReader().read(scan.path()).volume();
        if (volume.dims().length > 3) {
          volume = volume.frame(0);
        }
        Map<String, String> values = new LinkedHashMap<>();
        values.put(field.column(), scan.path().toString());
        Sample row = new Sample(in.label(), values, null, null, null, scan.path(), 0);
        ExampleReader.Decoded d = reader.decode(row, 0, 0, Map.of(field.name(), volume));
        return new Decoded(d.example(), null, volume, d.volumes().get(field.name()));
      }
      ImageField field = (ImageField) primary;
      Windowing windowing = reader.windowing(field);
      if (in instanceof PredictionInput.ImageFile f && f.dicom() == null) {
        Tensor image = Images.read(f.file(), windowing);
        return new Decoded(example(in, field, image), grey(image), null, null);
      }
      WindowedSlice slice = window(in, windowing);
      return new Decoded(example(in, field, slice.tensor()), slice, null, null);
    } catch (RuntimeException e) {
      // Any failure here is the input's (a damaged or odd file), not the model's: callers that go on past bad inputs
      // tell the two apart by the type.
      String message = e instanceof MedvisionException && e.getMessage() != null ? e.getMessage() : e.toString();
      throw new UnreadableInputException(message.contains(in.label()) ? message : in.label() + ": " + message, e);
    }
  }

  private Example example(PredictionInput in, ImageField field, Tensor image) {
    return new Example(in.label(), null, in.label(), Map.of(field.name(), reader.preprocessImage(field, image)),
        Map.of());
  }

  /** A one-channel image's values as a slice; null for colour. */
  private static WindowedSlice grey(Tensor image) {
    if (image.shape().dim(0) != 1) {
      return null;
    }
    return new WindowedSlice(image.toFloatArray(), (int) image.shape().dim(1), (int) image.shape().dim(2));
  }

  /** A DICOM frame or NIfTI slice through {@code windowing}; the file's window falls back to the full range. */
  private static WindowedSlice window(PredictionInput in, Windowing windowing) {
    float[] pixels;
    int rows;
    int columns;
    Window fileWindow = null;
    if (in instanceof PredictionInput.NiftiSlice s) {
      Volume v = s.volume();
      rows = v.ny();
      columns = v.nx();
      pixels = new float[rows * columns];
      for (int y = 0; y < rows; y++) {
        for (int x = 0; x < columns; x++) {
          pixels[y * columns + x] = v.get(x, y, s.z());
        }
      }
    } else {
      var image = in.dicomSources().get(0);
      int frame = in instanceof PredictionInput.DicomFrame f ? f.frame() : 1;
      pixels = image.frame(frame);
      rows = image.dataSet().getInt(Tags.ROWS);
      columns = image.dataSet().getInt(Tags.COLUMNS);
      fileWindow = image.window(frame).orElse(null);
    }
    Window w;
    switch (windowing.kind()) {
      case FIXED:
        w = Windows.window(windowing);
        break;
      case FILE:
        w = fileWindow != null ? fileWindow : Window.spanning(pixels);
        break;
      default:
        w = Window.spanning(pixels);
    }
    return WindowedSlice.of(pixels, rows, columns, w);
  }

  /** Whether {@code dir} can hold outputs, creating it. */
  static void createFolder(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new MedvisionException("output folder " + dir + " is an existing file; give a folder (it is created "
          + "when missing)");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MedvisionException("cannot create output folder " + dir + ": " + IoErrors.describe(e), e);
    }
  }
}
