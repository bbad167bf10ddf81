package org.medvision.api.metrics;

import java.util.ArrayList;
import java.util.List;
import org.medvision.api.tensor.Tensor;

/**
 * A picture for reports of where a spatial map points: per example one row of two tiles, the slice of the input the
 * map lies over (gray) and the same slice with the map as a heat overlay and the mask's cells outlined in green. A
 * radiologist reads at a glance whether the attention sits on the lesions.
 *
 * <p>The slice shown is the one through the grid layer holding the most mask cells, or the map's strongest layer when
 * the mask is empty, so every row shows the lesion when there is one. Examples with mask cells are preferred; up to
 * {@link #MAX_ROWS} rows are kept, so memory stays bounded on any test set.
 */
final class MapPanels {
  /** Rows in the picture. */
  static final int MAX_ROWS = 6;
  /** Tile height in pixels; widths keep the slice's aspect. */
  static final int TILE_HEIGHT = 128;
  private static final int GAP = 4;
  private static final int MASK_OUTLINE = 0x00FF40;
  /**
   * The smallest value the heat scale tops out at: a sigmoid attention trained on rare positive cells rarely nears 1,
   * so each row is scaled to its own maximum to show where it points, but a map that is near 0 everywhere stays dark.
   */
  static final float HEAT_FLOOR = 0.1f;

  private final List<Row> withMask = new ArrayList<>();
  private final List<Row> withoutMask = new ArrayList<>();

  /** One example's slice, its map and mask resampled onto the slice's pixels, and a caption. */
  private record Row(String id, int height, int width, float[] image, float[] map, boolean[] mask) {}

  /**
   * Considers one example for the picture.
   *
   * @param id the example's identifier, for the caption
   * @param input the input field's tensor, [C, d, h, w] or [C, h, w] (channel 0 is shown)
   * @param map the map values on its grid
   * @param grid the map's grid, [d, h, w] or [h, w]
   * @param mask the mask on the map's grid (cells at 0.5 or more are inside)
   */
  void offer(String id, Tensor input, float[] map, long[] grid, float[] mask) {
    boolean hasCells = false;
    for (float m : mask) {
      hasCells |= m >= 0.5f;
    }
    List<Row> list = hasCells ? withMask : withoutMask;
    if (list.size() >= MAX_ROWS || input == null) {
      return;
    }
    long[] dims = input.shape().dims();
    int inputRank = dims.length - 1;
    int depth = inputRank == 3 ? (int) dims[1] : 1;
    int height = (int) dims[dims.length - 2];
    int width = (int) dims[dims.length - 1];
    int gridDepth = grid.length == 3 ? (int) grid[0] : 1;
    int gridHeight = (int) grid[grid.length - 2];
    int gridWidth = (int) grid[grid.length - 1];
    int layer = hasCells ? strongestLayer(mask, gridDepth, 0.5f) : strongestLayer(map, gridDepth, 0f);
    int slice = Math.min(depth - 1, (int) ((layer + 0.5) * depth / gridDepth));
    float[] values = input.toFloatArray();
    float[] image = new float[height * width];
    System.arraycopy(values, slice * height * width, image, 0, image.length);
    float[] mapSlice = new float[height * width];
    boolean[] maskSlice = new boolean[height * width];
    for (int y = 0; y < height; y++) {
      int gy = y * gridHeight / height;
      for (int x = 0; x < width; x++) {
        int cell = (layer * gridHeight + gy) * gridWidth + x * gridWidth / width;
        mapSlice[y * width + x] = map[cell];
        maskSlice[y * width + x] = mask[cell] >= 0.5f;
      }
    }
    list.add(new Row(id, height, width, image, mapSlice, maskSlice));
  }

  private static int strongestLayer(float[] values, int layers, float threshold) {
    int perLayer = values.length / layers;
    int best = 0;
    double bestSum = -1;
    for (int l = 0; l < layers; l++) {
      double sum = 0;
      for (int i = l * perLayer; i < (l + 1) * perLayer; i++) {
        sum += values[i] >= threshold ? values[i] : 0;
      }
      if (sum > bestSum) {
        bestSum = sum;
        best = l;
      }
    }
    return best;
  }

  /** The picture, or an empty list when no example was offered. */
  List<ReportFigure> figures(String file, String title) {
    List<Row> rows = new ArrayList<>(withMask);
    for (Row r : withoutMask) {
      if (rows.size() < MAX_ROWS) {
        rows.add(r);
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    int tileWidth = 0;
    for (Row r : rows) {
      tileWidth = Math.max(tileWidth, scaledWidth(r));
    }
    int width = 2 * tileWidth + 3 * GAP;
    int height = rows.size() * (TILE_HEIGHT + GAP) + GAP;
    int[] rgb = new int[width * height];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      int top = GAP + i * (TILE_HEIGHT + GAP);
      draw(rgb, width, r, GAP, top, false);
      draw(rgb, width, r, 2 * GAP + tileWidth, top, true);
      ids.add(r.id());
    }
    return List.of(new ReportFigure.Picture(file, title + " (rows, top to bottom: " + String.join(", ", ids)
        + "; left the input slice, right the map as heat scaled to each row's highest value, at least "
        + HEAT_FLOOR + " (yellow high), with the mask's cells outlined in green)",
        width, height, rgb));
  }

  private static int scaledWidth(Row r) {
    return Math.max(1, (int) Math.round((double) r.width() * TILE_HEIGHT / r.height()));
  }

  private static void draw(int[] rgb, int stride, Row r, int left, int top, boolean overlay) {
    float min = Float.POSITIVE_INFINITY;
    float max = Float.NEGATIVE_INFINITY;
    for (float v : r.image()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    float range = max > min ? max - min : 1;
    float heatTop = HEAT_FLOOR;
    for (float v : r.map()) {
      heatTop = Math.max(heatTop, v);
    }
    int w = scaledWidth(r);
    for (int y = 0; y < TILE_HEIGHT; y++) {
      int sy = y * r.height() / TILE_HEIGHT;
      for (int x = 0; x < w; x++) {
        int sx = x * r.width() / w;
        int i = sy * r.width() + sx;
        int gray = Math.round(255 * (r.image()[i] - min) / range);
        int color = gray << 16 | gray << 8 | gray;
        if (overlay) {
          color = outline(r, sx, sy) ? MASK_OUTLINE : heat(gray, r.map()[i] / heatTop);
        }
        rgb[(top + y) * stride + left + x] = color;
      }
    }
  }

  /** Whether source pixel (x, y) is inside the mask with a 4-neighbour outside it or at the slice's edge. */
  private static boolean outline(Row r, int x, int y) {
    if (!r.mask()[y * r.width() + x]) {
      return false;
    }
    return x == 0 || y == 0 || x == r.width() - 1 || y == r.height() - 1 || !r.mask()[y * r.width() + x - 1]
        || !r.mask()[y * r.width() + x + 1] || !r.mask()[(y - 1) * r.width() + x] || !r.mask()[(y + 1) * r.width() + x];
  }

  /** Gray blended towards red (low) and yellow (high) with opacity growing with the map value, none at 0. */
  private static int heat(int gray, float value) {
    float v = Math.max(0, Math.min(1, value));
    float alpha = 0.75f * v;
    int red = Math.round(gray * (1 - alpha) + 255 * alpha);
    int green = Math.round(gray * (1 - alpha) + 255 * v * alpha);
    int blue = Math.round(gray * (1 - alpha));
    return red << 16 | green << 8 | blue;
  }
}
