package org.medvision.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.io.ProgressListener;
import org.medvision.io.dicom.DicomImage;
import org.medvision.io.dicom.DicomSeries;
import org.medvision.io.dicom.StudyIndex;
import org.medvision.io.dicom.UnreadableFile;
import org.medvision.io.volume.Finding;
import org.medvision.io.volume.SeriesLayout;

/** Renders a {@link StudyIndex} as the text and JSON of {@code medvision dicom info}. */
final class DicomInfoPrinter {
  private DicomInfoPrinter() {}

  /**
   * A scan's progress on a {@link ProgressBar}, created once the scan knows how many files it will examine. Notes and
   * warnings are kept until the bar is closed and then printed as {@code medvision: note: ...} and
   * {@code medvision: warning: ...}, so they never break a bar's line.
   */
  static final class Progress implements ProgressListener, AutoCloseable {
    private final CommandContext ctx;
    private final String label;
    private final List<String> messages = new ArrayList<>();
    private ProgressBar bar;

    Progress(CommandContext ctx, String label) {
      this.ctx = ctx;
      this.label = label;
    }

    @Override
    public void progress(long done, long total) {
      if (bar == null) {
        bar = ctx.progress(label, total);
      }
      bar.update(done);
    }

    @Override
    public synchronized void note(String message) {
      messages.add("medvision: note: " + message);
    }

    @Override
    public synchronized void warning(String message) {
      messages.add("medvision: warning: " + message);
    }

    @Override
    public synchronized void close() {
      if (bar != null) {
        bar.close();
      }
      messages.forEach(ctx.err()::println);
      messages.clear();
    }
  }

  /** The series' facts as ordered key/value pairs, shared by the text and JSON forms. */
  static Map<String, Object> describe(DicomSeries s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("seriesInstanceUid", s.seriesInstanceUid());
    m.put("seriesNumber", s.seriesNumber().orElse(null));
    m.put("modality", s.modality());
    m.put("description", s.description());
    m.put("objects", s.objects().size());
    m.put("frames", s.frameCount());
    m.put("transferSyntaxes", new ArrayList<>(s.transferSyntaxUids()));
    if (!s.hasImages()) {
      m.put("images", 0);
      m.put("note", s.objects().get(0).whyNotImage().orElse(""));
      return m;
    }
    List<DicomImage> images = s.images();
    m.put("images", images.size());
    SeriesLayout layout = s.layout();
    int[] dims = layout.dims();
    m.put("size", List.of(dims[0], dims[1], dims[2]));
    layout.affine().ifPresent(a -> {
      double[] spacing = a.spacing();
      m.put("spacingMm", List.of(round(spacing[0]), round(spacing[1]), round(spacing[2])));
    });
    List<Object> findings = new ArrayList<>();
    for (Finding f : layout.findings()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("severity", f.severity().toString());
      fm.put("kind", f.kind().toString());
      fm.put("message", f.message());
      findings.add(fm);
    }
    m.put("findings", findings);
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1e6) / 1e6;
  }

  /** The whole index as a JSON-ready tree. */
  static Map<String, Object> json(StudyIndex index) {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("root", index.root().toString());
    root.put("filesExamined", index.filesExamined());
    List<Object> patients = new ArrayList<>();
    for (StudyIndex.Patient p : index.patients()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("patientId", p.id());
      pm.put("patientName", p.name());
      List<Object> studies = new ArrayList<>();
      for (StudyIndex.Study st : p.studies()) {
        Map<String, Object> sm = new LinkedHashMap<>();
        sm.put("studyInstanceUid", st.studyInstanceUid());
        sm.put("date", st.date());
        sm.put("description", st.description());
        List<Object> series = new ArrayList<>();
        for (DicomSeries s : st.series()) {
          series.add(safeDescribe(s));
        }
        sm.put("series", series);
        studies.add(sm);
      }
      pm.put("studies", studies);
      patients.add(pm);
    }
    root.put("patients", patients);
    List<Object> unreadable = new ArrayList<>();
    for (UnreadableFile u : index.unreadable()) {
      Map<String, Object> um = new LinkedHashMap<>();
      um.put("file", u.file().toString());
      um.put("error", u.error());
      unreadable.add(um);
    }
    root.put("unreadable", unreadable);
    return root;
  }

  /** Like {@link #describe}, but a series whose metadata cannot be laid out is shown with the reason. */
  private static Map<String, Object> safeDescribe(DicomSeries s) {
    try {
      return describe(s);
    } catch (MedvisionException e) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("seriesInstanceUid", s.seriesInstanceUid());
      m.put("modality", s.modality());
      m.put("error", e.getMessage());
      return m;
    }
  }

  /** The index as indented text: patient, study, series lines, each series' findings, then unreadable files. */
  static void text(StudyIndex index, PrintStream out) {
    for (StudyIndex.Patient p : index.patients()) {
      out.println("patient " + quoted(p.id()) + " " + quoted(p.name()));
      for (StudyIndex.Study st : p.studies()) {
        out.println("  study " + st.studyInstanceUid() + " date " + dash(st.date()) + " " + quoted(st.description()));
        for (DicomSeries s : st.series()) {
          Map<String, Object> m = safeDescribe(s);
          StringBuilder line = new StringBuilder("    series ").append(s.seriesInstanceUid());
          s.seriesNumber().ifPresent(n -> line.append(" #").append(n));
          line.append(' ').append(s.modality());
          if (!s.description().isEmpty()) {
            line.append(' ').append(quoted(s.description()));
          }
          line.append(": ").append(s.objects().size()).append(" objects, ").append(s.frameCount()).append(" frames");
          if (m.containsKey("size")) {
            line.append(", ").append(join(m.get("size"), "x"));
          }
          if (m.containsKey("spacingMm")) {
            line.append(", spacing ").append(join(m.get("spacingMm"), " x ")).append(" mm");
          }
          line.append(", ").append(String.join(" ", s.transferSyntaxUids()));
          out.println(line);
          if (m.containsKey("note")) {
            out.println("      no images: " + m.get("note"));
          }
          if (m.containsKey("error")) {
            out.println("      ERROR " + m.get("error"));
          }
          if (s.hasImages() && !m.containsKey("error")) {
            for (Finding f : s.findings()) {
              out.println("      " + f);
            }
          }
        }
      }
    }
    out.println(String.format(Locale.ROOT, "%d files examined, %d series, %d unreadable", index.filesExamined(),
        index.series().size(), index.unreadable().size()));
    for (UnreadableFile u : index.unreadable()) {
      out.println("  unreadable " + u.error());
    }
  }

  private static String join(Object list, String separator) {
    List<String> parts = new ArrayList<>();
    for (Object o : (List<?>) list) {
      parts.add(o instanceof Double d ? Formats.fixed(d, 3) : String.valueOf(o));
    }
    return String.join(separator, parts);
  }

  private static String quoted(String s) {
    return "\"" + s + "\"";
  }

  private static String dash(String s) {
    return s.isEmpty() ? "-" : s;
  }
}
