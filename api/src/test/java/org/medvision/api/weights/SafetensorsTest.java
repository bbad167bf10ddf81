package org.medvision.api.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.medvision.api.MedvisionException;
import org.medvision.api.tensor.DType;
import org.medvision.api.tensor.Shape;
import org.medvision.api.tensor.Tensor;

class SafetensorsTest {
  @TempDir
  Path dir;

  /** Builds a file by hand: 8-byte little-endian header length, the header as given (no padding), the data. */
  static byte[] rawFile(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
        .putLong(h.length).put(h).put(data).array();
  }

  private Path writeRaw(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static Weights allDtypes() {
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("f32", Tensor.ofFloats(new float[] {1.5f, -2f, 0f, Float.MAX_VALUE, -0f, 1e-30f}, 2, 3));
    t.put("f16", Tensor.fromFloats(DType.FLOAT16, Shape.of(3), new float[] {0.5f, -65504f, 1f / 1024}));
    t.put("bf16", Tensor.fromFloats(DType.BFLOAT16, Shape.of(2, 1), new float[] {3.140625f, -1e30f}));
    t.put("i64", Tensor.ofLongs(Shape.of(2), Long.MIN_VALUE, 123456789012L));
    t.put("i32", Tensor.ofInts(Shape.of(1, 1, 2), -7, Integer.MAX_VALUE));
    t.put("u8", Tensor.ofUint8(Shape.of(3), (byte) 0, (byte) 200, (byte) 255));
    t.put("bool", Tensor.ofBooleans(Shape.of(2), true, false));
    t.put("scalar", Tensor.of(Shape.scalar(), 42f));
    t.put("empty", Tensor.of(Shape.of(0, 4)));
    return new Weights(t, Map.of("format", "pt", "note", "é ünïcode \"quoted\""), "test");
  }

  private static void assertSameTensors(Weights expected, Weights actual) {
    assertEquals(List.copyOf(expected.tensors().keySet()), List.copyOf(actual.tensors().keySet()));
    for (Map.Entry<String, Tensor> e : expected.tensors().entrySet()) {
      assertTrue(e.getValue().contentEquals(actual.tensors().get(e.getKey())), e.getKey());
    }
    assertEquals(expected.metadata(), actual.metadata());
  }

  @Test
  void everyDtypeRoundTripsThroughAFile() {
    Weights w = allDtypes();
    Path p = dir.resolve("w.safetensors");
    Safetensors.write(p, w);
    Weights back = Safetensors.read(p);
    assertSameTensors(w, back);
    assertEquals(p.toString(), back.source());
  }

  @Test
  void everyDtypeRoundTripsThroughBytes() {
    Weights w = allDtypes();
    byte[] bytes = Safetensors.toBytes(w);
    Weights back = Safetensors.fromBytes(bytes, "mem");
    assertSameTensors(w, back);
    assertEquals("mem", back.source());
    long headerLength = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, headerLength % 8, "header is padded to a multiple of 8");
    assertEquals(bytes.length, 8 + headerLength + w.tensors().values().stream().mapToInt(Tensor::byteSize).sum());
  }

  @Test
  void aTensorLargerThanTheMappingThresholdRoundTrips() {
    float[] v = new float[400_000];
    for (int i = 0; i < v.length; i++) {
      v[i] = i * 0.25f - 7f;
    }
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("small", Tensor.ofFloats(new float[] {1f}, 1));
    t.put("big", Tensor.ofFloats(v, 400, 1000));
    Path p = dir.resolve("big.safetensors");
    Safetensors.write(p, Weights.of(t, "x"));
    assertArrayEquals(v, Safetensors.read(p).tensors().get("big").toFloatArray());
  }

  @Test
  void writerOutputHasTheExactLayout() {
    Weights w = new Weights(Map.of("x", Tensor.ofFloats(new float[] {2f}, 1)), Map.of("k", "v"), "s");
    byte[] bytes = Safetensors.toBytes(w);
    String json = "{\"__metadata__\":{\"k\":\"v\"},\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
    int padded = (json.length() + 7) / 8 * 8;
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(padded, b.getLong());
    byte[] header = new byte[padded];
    b.get(header);
    assertEquals(json + " ".repeat(padded - json.length()), new String(header, StandardCharsets.UTF_8));
    assertEquals(2f, b.getFloat());
    assertFalse(b.hasRemaining());
  }

  @Test
  void handBuiltFileReadsInDataOrder() throws IOException {
    // Header order b, a, c; data order a (F32 [2]), c (F16 [2], 1.0 and -2.0), b (I64 [1]) then d (BF16/BOOL).
    String header = "{\"b\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[12,20]},"
        + "\"__metadata__\":{\"format\":\"pt\"},"
        + "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"c\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]},"
        + "\"d\":{\"dtype\":\"BF16\",\"shape\":[1,1],\"data_offsets\":[20,22]},"
        + "\"e\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[22,24],\"extra\":[1,{\"x\":null}]}}";
    ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    data.putFloat(1.5f).putFloat(-2f);
    data.putShort((short) 0x3C00).putShort((short) 0xC000); // IEEE half 1.0 and -2.0
    data.putLong(-5L);
    data.putShort((short) 0x4049); // bfloat16 3.140625
    data.put((byte) 1).put((byte) 0);
    Path p = writeRaw("hand.safetensors", rawFile(header, data.array()));
    Weights w = Safetensors.read(p);
    assertEquals(List.of("a", "c", "b", "d", "e"), List.copyOf(w.tensors().keySet()));
    assertArrayEquals(new float[] {1.5f, -2f}, w.tensors().get("a").toFloatArray());
    assertEquals(DType.FLOAT16, w.tensors().get("c").dtype());
    assertArrayEquals(new float[] {1f, -2f}, w.tensors().get("c").toFloatArray());
    assertArrayEquals(new long[] {-5L}, w.tensors().get("b").toLongArray());
    assertEquals(Shape.of(1, 1), w.tensors().get("d").shape());
    assertArrayEquals(new float[] {3.140625f}, w.tensors().get("d").toFloatArray());
    assertArrayEquals(new long[] {1, 0}, w.tensors().get("e").toLongArray());
    assertEquals(Map.of("format", "pt"), w.metadata());
  }

  private WeightsFormatException corrupt(String name, byte[] bytes) throws IOException {
    Path p = writeRaw(name, bytes);
    WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> Safetensors.read(p));
    assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
    assertEquals(p.toString(), e.source());
    return e;
  }

  private WeightsFormatException corruptTensor(String tensor, String header, int dataBytes, String... phrases)
      throws IOException {
    WeightsFormatException e = corrupt(tensor + ".safetensors", rawFile(header, new byte[dataBytes]));
    assertTrue(e.getMessage().contains("'" + tensor + "'"), "message names the tensor: " + e.getMessage());
    assertEquals(tensor, e.tensor().orElseThrow());
    for (String phrase : phrases) {
      assertTrue(e.getMessage().contains(phrase), "message says '" + phrase + "': " + e.getMessage());
    }
    return e;
  }

  private static String entry(String name, String dtype, String shape, String offsets) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":" + offsets + "}";
  }

  @Test
  void fileLevelCorruptionsAreReported() throws IOException {
    assertTrue(corrupt("short", new byte[] {1, 0, 0}).getMessage().contains("shorter than the 8-byte"));
    byte[] tooLong = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(100).array();
    assertTrue(corrupt("long", tooLong).getMessage().contains("truncated"));
    byte[] huge = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(200L << 20).array();
    assertTrue(corrupt("huge", huge).getMessage().contains("limit"));
    byte[] negative = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array();
    assertTrue(corrupt("neg", negative).getMessage().contains("limit"));
    assertTrue(corrupt("json", rawFile("{\"a\": {", new byte[0])).getMessage().contains("not valid JSON"));
    assertTrue(corrupt("empty", rawFile("", new byte[0])).getMessage().contains("not valid JSON"));
    assertTrue(corrupt("array", rawFile("[1, 2]", new byte[0])).getMessage().contains("not a JSON object"));
    assertTrue(corrupt("trail", rawFile("{} {}", new byte[0])).getMessage().contains("after its closing brace"));
    byte[] latin1 = rawFile("{\"x\":1}", new byte[0]);
    latin1[10] = (byte) 0xFF;
    assertTrue(corrupt("utf8", latin1).getMessage().contains("UTF-8"));
    assertTrue(corrupt("meta", rawFile("{\"__metadata__\":{\"k\":1}}", new byte[0])).getMessage()
        .contains("must be a string"));
    assertTrue(corrupt("extra", rawFile("{}", new byte[4])).getMessage().contains("trailing"));
  }

  @Test
  void tensorLevelCorruptionsNameTheTensor() throws IOException {
    corruptTensor("w", "{" + entry("w", "F64", "[1]", "[0,8]") + "}", 8, "F64", "supported");
    corruptTensor("w", "{" + entry("w", "F32", "3", "[0,12]") + "}", 12, "shape");
    corruptTensor("w", "{" + entry("w", "F32", "[-1]", "[0,4]") + "}", 4, "non-negative", "-1");
    corruptTensor("w", "{" + entry("w", "F32", "[2.5]", "[0,4]") + "}", 4, "non-negative", "2.5");
    corruptTensor("w", "{" + entry("w", "F32", "[\"2\"]", "[0,8]") + "}", 8, "non-negative");
    corruptTensor("w", "{" + entry("w", "F32", "[1]", "[8,4]") + "}", 8, "begin <= end");
    corruptTensor("w", "{" + entry("w", "F32", "[1]", "[0,4,8]") + "}", 8, "[begin, end]");
    corruptTensor("w", "{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", 4, "data_offsets");
    corruptTensor("w", "{\"w\":[1]}", 0, "must be an object");
    corruptTensor("w", "{" + entry("w", "F32", "[2,2]", "[0,12]") + "}", 12, "12 bytes", "needs 16");
    corruptTensor("w", "{" + entry("w", "F32", "[4]", "[0,16]") + "}", 8, "past the end", "truncated");
    corruptTensor("w", "{" + entry("a", "F32", "[1]", "[0,4]") + "," + entry("w", "F32", "[1]", "[4,8]") + ","
        + entry("w", "F32", "[1]", "[8,12]") + "}", 12, "more than once");
    corruptTensor("w", "{" + entry("w", "F32", "[4294967296,4294967296]", "[0,4]") + "}", 4, "too many");
  }

  @Test
  void layoutViolationsNameTheTensor() throws IOException {
    String overlap = "{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[4,12]") + "}";
    WeightsFormatException e = corruptTensor("b", overlap, 12, "overlap");
    assertTrue(e.getMessage().contains("'a'"), e.getMessage());
    String gap = "{" + entry("a", "F32", "[2]", "[0,8]") + "," + entry("b", "F32", "[2]", "[12,20]") + "}";
    corruptTensor("b", gap, 20, "no gaps", "[8, 12)");
    String leadingGap = "{" + entry("a", "F32", "[2]", "[4,12]") + "}";
    corruptTensor("a", leadingGap, 12, "no gaps");
    String trailing = "{" + entry("a", "F32", "[2]", "[0,8]") + "}";
    corruptTensor("a", trailing, 12, "trailing");
  }

  @Test
  void fromBytesReportsTheGivenSource() {
    byte[] bytes = rawFile("{" + entry("w", "F32", "[2]", "[0,8]") + "}", new byte[4]);
    WeightsFormatException e = assertThrows(WeightsFormatException.class,
        () -> Safetensors.fromBytes(bytes, "upload.safetensors"));
    assertTrue(e.getMessage().startsWith("safetensors upload.safetensors, tensor 'w': "), e.getMessage());
  }

  @Test
  void missingFileIsAClearError() {
    Path p = dir.resolve("nope.safetensors");
    MedvisionException e = assertThrows(MedvisionException.class, () -> Safetensors.read(p));
    assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("does not exist"), e.getMessage());
  }

  private List<String> listDir() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void writeReplacesAtomicallyAndLeavesNoTempFiles() throws IOException {
    Path p = dir.resolve("model.safetensors");
    Files.writeString(p, "old content");
    Weights w = allDtypes();
    Safetensors.write(p, w);
    assertSameTensors(w, Safetensors.read(p));
    assertEquals(List.of("model.safetensors"), listDir());
  }

  @Test
  void failedWriteLeavesNothingBehind() throws IOException {
    Weights reserved = Weights.of(Map.of("__metadata__", Tensor.ofFloats(new float[] {1f}, 1)), "x");
    Path p = dir.resolve("a.safetensors");
    WeightsFormatException e = assertThrows(WeightsFormatException.class, () -> Safetensors.write(p, reserved));
    assertTrue(e.getMessage().contains("__metadata__"), e.getMessage());
    assertEquals(List.of(), listDir());
    // The final move fails because the target is a non-empty directory: the temp file must be removed again.
    Path blocked = dir.resolve("blocked.safetensors");
    Files.createDirectory(blocked);
    Files.writeString(blocked.resolve("inside"), "x");
    MedvisionException move = assertThrows(MedvisionException.class, () -> Safetensors.write(blocked, allDtypes()));
    assertTrue(move.getMessage().contains(blocked.toString()), move.getMessage());
    assertEquals(List.of("blocked.safetensors"), listDir());
  }
}
