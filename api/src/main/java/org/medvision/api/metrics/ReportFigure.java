package org.medvision.api.metrics;

import java.util.List;

/** A figure for a report, drawn by the report renderer. */
public sealed interface ReportFigure permits ReportFigure.Curves, ReportFigure.Picture {
  /** The file name the figure is saved under, e.g. {@code roc.png}. */
  String file();

  /** The caption. */
  String title();

  /**
   * Line plots on shared axes, e.g. ROC curves.
   *
   * @param file file name
   * @param title caption
   * @param xLabel x-axis label
   * @param yLabel y-axis label
   * @param series named curves
   * @param unitSquare whether both axes span [0, 1] (with the diagonal drawn)
   */
  record Curves(String file, String title, String xLabel, String yLabel, List<Series> series, boolean unitSquare)
      implements ReportFigure {
    /** Copies the series. */
    public Curves {
      series = List.copyOf(series);
    }
  }

  /**
   * One named curve.
   *
   * @param name legend entry
   * @param x abscissae
   * @param y ordinates, as many as x
   */
  record Series(String name, double[] x, double[] y) {
    /** Checks lengths and copies. */
    public Series {
      x = x.clone();
      y = y.clone();
      if (x.length != y.length) {
        throw new IllegalArgumentException("series '" + name + "' has " + x.length + " x and " + y.length + " y");
      }
    }
  }

  /**
   * A picture (e.g. a panel of slices with an attention overlay), as packed 0xRRGGBB pixels row by row.
   *
   * @param file file name
   * @param title caption
   * @param width width in pixels
   * @param height height in pixels
   * @param rgb width × height pixels
   */
  record Picture(String file, String title, int width, int height, int[] rgb) implements ReportFigure {
    /** Checks the size and copies. */
    public Picture {
      rgb = rgb.clone();
      if (rgb.length != width * height) {
        throw new IllegalArgumentException("picture '" + file + "' has " + rgb.length + " pixels for " + width + "x"
            + height);
      }
    }
  }
}
