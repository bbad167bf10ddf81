package org.medvision.cli;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.RegularFiles;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.task.ImagePreprocessing;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;
import org.medvision.io.image.ImagePreprocessor;

/**
 * Turns {@code predict --model} file arguments into one batched tensor per graph input.
 *
 * <p>An argument is {@code FILE} when the graph has one input, or {@code NAME=FILE} for the input {@code NAME}.
 * A {@code .npy} file is a raw tensor: either one sample (the input's shape without the batch axis) or a batch (the
 * input's full shape). Any other file is an image, decoded and preprocessed to the input's [C, H, W] (bilinear
 * resize, grayscale/RGB to the channel count, then {@code (x - mean) / std} per channel with values in [0, 1]).
 * Several files for one input are stacked along the batch axis in the order given.
 */
final class ModelInputs {
  /**
   * The batched inputs and, per sample, the file it came from.
   *
   * @param feeds one tensor per graph input
   * @param samples a label per sample: {@code file}, or {@code file[i]} for a sample of a batch file; with several
   *     inputs, {@code NAME=file} per input joined by spaces
   */
  record Batch(Map<String, Tensor> feeds, List<String> samples) {}

  private ModelInputs() {}

  /**
   * Reads and batches the files.
   *
   * @param mean per-channel mean for images, one value for every channel, or null for 0
   * @param std per-channel deviation for images, one value for every channel, or null for 1
   * @throws UsageException for an argument that names no input, or inputs left without files
   * @throws MedvisionException naming the file whose contents do not fit its input
   */
  static Batch read(List<String> args, Graph graph, float[] mean, float[] std) {
    Map<String, List<Path>> files = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs()) {
      files.put(in.name(), new ArrayList<>());
    }
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq > 0 && files.containsKey(a.substring(0, eq))) {
        files.get(a.substring(0, eq)).add(Path.of(a.substring(eq + 1)));
      } else if (graph.inputs().size() == 1) {
        files.get(graph.inputs().get(0).name()).add(Path.of(a));
      } else {
        throw new UsageException("this model has inputs " + files.keySet() + "; write each file as NAME=FILE, got '"
            + a + "'");
      }
    }
    Map<String, Tensor> feeds = new LinkedHashMap<>();
    List<String> samples = null;
    String first = null;
    for (ValueInfo in : graph.inputs()) {
      List<Path> list = files.get(in.name());
      if (list.isEmpty()) {
        throw new UsageException("no file for model input '" + in.name() + "' (" + in.dtype() + in.shape()
            + "); give " + in.name() + "=FILE (.npy or an image)");
      }
      List<Tensor> parts = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (Path p : list) {
        Tensor t = sample(p, in, mean, std);
        parts.add(t);
        long n = t.shape().dim(0);
        for (long i = 0; i < n; i++) {
          labels.add(n == 1 ? p.toString() : p + "[" + i + "]");
        }
      }
      Tensor batch = concat(parts);
      if (graph.inputs().size() > 1) {
        labels.replaceAll(l -> in.name() + "=" + l);
      }
      if (samples == null) {
        samples = labels;
        first = in.name();
      } else if (samples.size() != labels.size()) {
        throw new MedvisionException("input '" + in.name() + "' has " + labels.size() + " samples but '" + first
            + "' has " + samples.size() + "; every input needs the same number");
      } else {
        for (int i = 0; i < samples.size(); i++) {
          samples.set(i, samples.get(i) + " " + labels.get(i));
        }
      }
      feeds.put(in.name(), batch);
    }
    return new Batch(feeds, samples);
  }

  /** One file as a batch (leading axis) for {@code in}. */
  private static Tensor sample(Path file, ValueInfo in, float[] mean, float[] std) {
    RegularFiles.require(file, "input", "--model FILE.onnx/.graph takes image or .npy files (e.g. " + file
        + "/*.png); a task model (--model CHECKPOINT) takes folders with --input");
    Shape want = in.shape();
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
      Tensor t = NpyFiles.read(file);
      if (t.dtype() != in.dtype()) {
        if (!(t.dtype().isFloatingPoint() && in.dtype().isFloatingPoint())) {
          throw new MedvisionException(file + " holds " + t.dtype() + " but input '" + in.name() + "' is "
              + in.dtype());
        }
        t = t.to(in.dtype());
      }
      if (t.shape().rank() == want.rank() && fits(t.shape(), want, 0)) {
        return t;
      }
      if (t.shape().rank() == want.rank() - 1 && fits(t.shape(), want, 1)) {
        long[] dims = new long[want.rank()];
        dims[0] = 1;
        System.arraycopy(t.shape().dims(), 0, dims, 1, t.shape().rank());
        return t.reshape(Shape.of(dims));
      }
      throw new MedvisionException(file + " has shape " + t.shape() + ", which fits neither input '" + in.name()
          + "' " + want + " nor one sample of it " + Shape.of(Arrays.copyOfRange(want.dims(), 1, want.rank())));
    }
    if (want.rank() != 4 || in.dtype() != DType.FLOAT32 || want.dim(1) < 1 || want.dim(2) < 1 || want.dim(3) < 1) {
      throw new MedvisionException("input '" + in.name() + "' is " + in.dtype() + want + ", not a float32 image "
          + "batch [N, C, H, W] of known C, H and W; give " + file + "'s data as a .npy tensor instead");
    }
    int channels = (int) want.dim(1);
    ImagePreprocessing spec = new ImagePreprocessing(channels, (int) want.dim(2), (int) want.dim(3),
        perChannel(mean, channels, 0f, "--mean"), perChannel(std, channels, 1f, "--std"));
    return ImagePreprocessor.batch(List.of(new ImagePreprocessor(spec).load(file)));
  }

  /** True when {@code actual} equals {@code want} from axis {@code skip} on, wherever {@code want} is known. */
  private static boolean fits(Shape actual, Shape want, int skip) {
    for (int i = 0; i < actual.rank(); i++) {
      long w = want.dim(i + skip);
      if (w != Shape.DYNAMIC && w != actual.dim(i)) {
        return false;
      }
    }
    return true;
  }

  private static float[] perChannel(float[] values, int channels, float fallback, String option) {
    if (values == null) {
      float[] out = new float[channels];
      Arrays.fill(out, fallback);
      return out;
    }
    if (values.length == 1) {
      float[] out = new float[channels];
      Arrays.fill(out, values[0]);
      return out;
    }
    if (values.length != channels) {
      throw new UsageException(option + " has " + values.length + " values but the model's images have " + channels
          + " channels; give 1 or " + channels);
    }
    return values;
  }

  /** Tensors of one dtype and trailing shape joined along axis 0. */
  static Tensor concat(List<Tensor> parts) {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    Tensor first = parts.get(0);
    long n = 0;
    int bytes = 0;
    for (Tensor t : parts) {
      Shape a = t.shape();
      boolean same = t.dtype() == first.dtype() && a.rank() == first.shape().rank();
      for (int i = 1; same && i < a.rank(); i++) {
        same = a.dim(i) == first.shape().dim(i);
      }
      if (!same) {
        throw new MedvisionException("cannot stack a " + t.dtype() + a + " sample with a " + first.dtype()
            + first.shape() + " one");
      }
      n += a.dim(0);
      bytes += t.byteSize();
    }
    ByteBuffer all = ByteBuffer.allocate(bytes);
    for (Tensor t : parts) {
      all.put(t.data());
    }
    return Tensor.fromBytes(first.dtype(), first.shape().withDim(0, n), all.flip());
  }
}
