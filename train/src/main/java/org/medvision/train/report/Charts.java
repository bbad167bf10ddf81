package org.medvision.train.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.PaintScale;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYBlockRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.DefaultXYZDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.medvision.api.metrics.ClassificationMetrics;
import org.medvision.api.metrics.ReportFigure;
import org.medvision.api.metrics.ConfusionMatrix;
import org.medvision.api.metrics.PrecisionRecallCurve;
import org.medvision.api.metrics.ReliabilityBin;
import org.medvision.api.metrics.RocCurve;

/**
 * Draws the report's plots with JFreeChart, off screen, as PNG bytes.
 *
 * <p>AWT runs headless ({@code java.awt.headless=true} is set before the first chart unless the application chose
 * otherwise), so no display is needed. Every plot has its axes on [0, 1] except the confusion matrix, whose cells
 * carry their counts as text. Classes without a defined curve (absent from the labels) are left out of the legend.
 */
public final class Charts {
  /** Width of every plot in pixels. */
  public static final int WIDTH = 640;
  /** Height of every plot in pixels. */
  public static final int HEIGHT = 480;

  private static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e), new Color(0x9467bd),
      new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};
  private static final Color GRID = new Color(0xdddddd);
  private static final BasicStroke CURVE = new BasicStroke(2.2f);
  private static final BasicStroke DASHED = new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
      new float[] {6f, 4f}, 0f);

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private Charts() {}

  /** One-vs-rest ROC curve of every class with a defined curve, with its AUROC in the legend, and the chance line. */
  public static byte[] roc(ClassificationMetrics m) {
    XYSeriesCollection curves = new XYSeriesCollection();
    for (int k = 0; k < m.classNames().size(); k++) {
      RocCurve roc = m.rocCurves().get(k);
      if (roc.isDefined()) {
        curves.addSeries(series(m.classNames().get(k) + String.format(" (AUROC %.3f)", roc.area()),
            roc.falsePositiveRates(), roc.truePositiveRates()));
      }
    }
    JFreeChart chart = lineChart("ROC, one class vs rest", "False positive rate (1 - specificity)",
        "True positive rate (sensitivity)", curves);
    addDiagonal(chart.getXYPlot(), "chance");
    return png(chart);
  }

  /** One-vs-rest precision-recall curve of every class with a defined curve, with its average precision. */
  public static byte[] precisionRecall(ClassificationMetrics m) {
    XYSeriesCollection curves = new XYSeriesCollection();
    for (int k = 0; k < m.classNames().size(); k++) {
      PrecisionRecallCurve pr = m.precisionRecallCurves().get(k);
      if (pr.isDefined()) {
        curves.addSeries(series(m.classNames().get(k) + String.format(" (AP %.3f)", pr.averagePrecision()),
            pr.recalls(), pr.precisions()));
      }
    }
    return png(lineChart("Precision-recall, one class vs rest", "Recall (sensitivity)", "Precision", curves));
  }

  /**
   * Reliability diagram: for each non-empty confidence bin a bar from the bin's lower to upper edge at its accuracy,
   * a point at its mean confidence, and the diagonal of perfect calibration; the ECE is in the subtitle.
   */
  public static byte[] reliability(ClassificationMetrics m) {
    XYIntervalSeries bars = new XYIntervalSeries("accuracy in bin");
    XYSeries confidence = new XYSeries("mean confidence in bin", false, true);
    for (ReliabilityBin bin : m.calibration().bins()) {
      if (bin.count() > 0) {
        double mid = (bin.lower() + bin.upper()) / 2;
        bars.add(mid, bin.lower(), bin.upper(), bin.accuracy(), 0, bin.accuracy());
        confidence.add(mid, bin.meanConfidence());
      }
    }
    XYIntervalSeriesCollection barData = new XYIntervalSeriesCollection();
    barData.addSeries(bars);
    XYBarRenderer barRenderer = new XYBarRenderer(0.04);
    barRenderer.setBarPainter(new StandardXYBarPainter());
    barRenderer.setShadowVisible(false);
    barRenderer.setDrawBarOutline(true);
    barRenderer.setSeriesPaint(0, new Color(0x1f77b4));
    barRenderer.setSeriesOutlinePaint(0, Color.WHITE);
    XYPlot plot = unitPlot("Top-class confidence", "Accuracy");
    plot.setDataset(0, barData);
    plot.setRenderer(0, barRenderer);
    XYSeriesCollection points = new XYSeriesCollection(confidence);
    XYLineAndShapeRenderer pointRenderer = new XYLineAndShapeRenderer(false, true);
    pointRenderer.setSeriesPaint(0, new Color(0xd62728));
    plot.setDataset(1, points);
    plot.setRenderer(1, pointRenderer);
    addDiagonal(plot, "perfect calibration");
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    JFreeChart chart = new JFreeChart("Reliability diagram", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.addSubtitle(new TextTitle(String.format("ECE %.4f over %d equal-width bins, %d samples",
        m.expectedCalibrationError(), m.calibration().bins().size(), m.samples())));
    return png(style(chart));
  }

  /**
   * Confusion matrix as a heat map: rows (y) true class, columns (x) predicted class, colour by the row's fraction
   * (recall per class), each cell labelled with its count and row percentage.
   */
  public static byte[] confusionMatrix(ClassificationMetrics m) {
    ConfusionMatrix cm = m.confusionMatrix();
    int c = cm.classCount();
    String[] names = m.classNames().toArray(new String[0]);
    double[] xs = new double[c * c];
    double[] ys = new double[c * c];
    double[] zs = new double[c * c];
    XYPlot plot = new XYPlot();
    for (int t = 0; t < c; t++) {
      long support = cm.support(t);
      for (int p = 0; p < c; p++) {
        int i = t * c + p;
        xs[i] = p;
        // True classes read top to bottom, as in a printed matrix.
        ys[i] = c - 1 - t;
        double fraction = support == 0 ? 0 : (double) cm.count(t, p) / support;
        zs[i] = fraction;
        XYTextAnnotation label = new XYTextAnnotation(String.format("%d  (%.0f%%)", cm.count(t, p), 100 * fraction),
            p, c - 1 - t);
        label.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        label.setPaint(fraction > 0.55 ? Color.WHITE : Color.BLACK);
        plot.addAnnotation(label);
      }
    }
    DefaultXYZDataset data = new DefaultXYZDataset();
    data.addSeries("fraction of true class", new double[][] {xs, ys, zs});
    XYBlockRenderer renderer = new XYBlockRenderer();
    renderer.setPaintScale(new BluePaintScale());
    plot.setDataset(data);
    plot.setRenderer(renderer);
    SymbolAxis predicted = new SymbolAxis("Predicted class", names);
    predicted.setGridBandsVisible(false);
    String[] reversed = new String[c];
    for (int t = 0; t < c; t++) {
      reversed[c - 1 - t] = names[t];
    }
    SymbolAxis actual = new SymbolAxis("True class", reversed);
    actual.setGridBandsVisible(false);
    Font ticks = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    predicted.setTickLabelFont(ticks);
    actual.setTickLabelFont(ticks);
    plot.setDomainAxis(predicted);
    plot.setRangeAxis(actual);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setBackgroundPaint(Color.WHITE);
    JFreeChart chart = new JFreeChart("Confusion matrix", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.addSubtitle(new TextTitle("rows: true class; columns: predicted class (arg-max); colour: share of the row"));
    chart.setBackgroundPaint(Color.WHITE);
    return png(chart);
  }

  /** White for 0 to dark blue for 1. */
  private static final class BluePaintScale implements PaintScale {
    @Override
    public double getLowerBound() {
      return 0;
    }

    @Override
    public double getUpperBound() {
      return 1;
    }

    @Override
    public Paint getPaint(double value) {
      double v = Math.max(0, Math.min(1, Double.isNaN(value) ? 0 : value));
      return new Color(lerp(255, 8, v), lerp(255, 48, v), lerp(255, 107, v));
    }

    private static int lerp(int from, int to, double t) {
      return (int) Math.round(from + (to - from) * t);
    }
  }

  /** A metric suite's figure: curves as a line chart, a picture as it is. */
  public static byte[] figure(ReportFigure f) {
    if (f instanceof ReportFigure.Picture p) {
      BufferedImage image = new BufferedImage(p.width(), p.height(), BufferedImage.TYPE_INT_RGB);
      image.setRGB(0, 0, p.width(), p.height(), p.rgb(), 0, p.width());
      try {
        return ChartUtils.encodeAsPNG(image);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot encode a picture as PNG", e);
      }
    }
    ReportFigure.Curves c = (ReportFigure.Curves) f;
    XYSeriesCollection data = new XYSeriesCollection();
    for (ReportFigure.Series s : c.series()) {
      data.addSeries(series(s.name(), s.x(), s.y()));
    }
    JFreeChart chart = lineChart(c.title(), c.xLabel(), c.yLabel(), data);
    if (c.unitSquare()) {
      addDiagonal(chart.getXYPlot(), "chance");
    } else {
      chart.getXYPlot().getDomainAxis().setAutoRange(true);
      chart.getXYPlot().getRangeAxis().setAutoRange(true);
    }
    return png(chart);
  }

  /**
   * A learning-rate range test: raw and smoothed training loss against the rate on a log axis, with the suggested
   * rate marked.
   */
  public static byte[] learningRateSweep(org.medvision.train.LearningRateSweep sweep) {
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(series("loss per batch", sweep.rates(), sweep.losses()));
    data.addSeries(series("smoothed loss", sweep.rates(), sweep.smoothed()));
    JFreeChart chart = ChartFactory.createXYLineChart(String.format(java.util.Locale.ROOT,
        "Learning-rate range test: suggested %.1e", sweep.suggested()), "learning rate", "training loss", data,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    org.jfree.chart.axis.LogAxis rates = new org.jfree.chart.axis.LogAxis("learning rate");
    rates.setNumberFormatOverride(new java.text.DecimalFormat("0.0E0"));
    plot.setDomainAxis(rates);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0xaec7e8));
    renderer.setSeriesPaint(1, PALETTE[0]);
    renderer.setSeriesStroke(1, CURVE);
    plot.setRenderer(renderer);
    double[] smoothed = sweep.smoothed();
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double v : smoothed) {
      if (Double.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
    if (hi > lo) {
      // Raw losses of an exploding run would flatten the curve that matters.
      plot.getRangeAxis().setRange(lo - 0.1 * (hi - lo), hi + 0.1 * (hi - lo));
    }
    plot.addDomainMarker(new org.jfree.chart.plot.ValueMarker(sweep.suggested(), PALETTE[1], DASHED));
    return png(style(chart));
  }

  private static XYSeries series(String key, double[] x, double[] y) {
    // Curves double back on themselves in x (vertical steps), so neither sort nor de-duplicate.
    XYSeries s = new XYSeries(key, false, true);
    for (int i = 0; i < x.length; i++) {
      s.add(x[i], y[i]);
    }
    return s;
  }

  private static JFreeChart lineChart(String title, String x, String y, XYSeriesCollection data) {
    JFreeChart chart = ChartFactory.createXYLineChart(title, x, y, data, PlotOrientation.VERTICAL, true, false,
        false);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int k = 0; k < data.getSeriesCount(); k++) {
      renderer.setSeriesPaint(k, PALETTE[k % PALETTE.length]);
      renderer.setSeriesStroke(k, CURVE);
    }
    plot.setRenderer(0, renderer);
    unitAxes(plot);
    return style(chart);
  }

  private static XYPlot unitPlot(String x, String y) {
    XYPlot plot = new XYPlot();
    plot.setDomainAxis(new NumberAxis(x));
    plot.setRangeAxis(new NumberAxis(y));
    unitAxes(plot);
    return plot;
  }

  private static void unitAxes(XYPlot plot) {
    plot.getDomainAxis().setRange(0, 1.0);
    plot.getRangeAxis().setRange(0, 1.02);
  }

  private static void addDiagonal(XYPlot plot, String name) {
    XYSeries line = new XYSeries(name);
    line.add(0, 0);
    line.add(1, 1);
    int index = plot.getDatasetCount();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, Color.GRAY);
    renderer.setSeriesStroke(0, DASHED);
    plot.setDataset(index, new XYSeriesCollection(line));
    plot.setRenderer(index, renderer);
  }

  private static JFreeChart style(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    return chart;
  }

  private static byte[] png(JFreeChart chart) {
    BufferedImage image = chart.createBufferedImage(WIDTH, HEIGHT);
    try {
      return ChartUtils.encodeAsPNG(image);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot encode a chart as PNG", e);
    }
  }
}
