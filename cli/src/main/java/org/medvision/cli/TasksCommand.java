package org.medvision.cli;

import com.google.inject.Inject;
import com.google.inject.Provider;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.data.AttributeField;
import org.medvision.api.data.BagField;
import org.medvision.api.data.Field;
import org.medvision.api.data.ImageField;
import org.medvision.api.data.LabelField;
import org.medvision.api.data.MaskField;
import org.medvision.api.data.TextField;
import org.medvision.api.data.VolumeField;
import org.medvision.api.embed.Medvision;
import org.medvision.api.metrics.MetricSuite;
import org.medvision.api.task.Acquisition;
import org.medvision.api.task.OptionSpec;
import org.medvision.api.task.OutputSpec;
import org.medvision.api.task.Task;
import org.medvision.api.task.TaskConfig;
import org.medvision.api.task.TaskProvider;

/**
 * {@code medvision tasks}: every task plugin with its citation, variants, options, data fields, outputs, metrics and
 * ensemble.
 */
public final class TasksCommand implements Command {
  private final Provider<Medvision> medvision;

  /** A command reading tasks from {@code medvision}. */
  @Inject
  public TasksCommand(Provider<Medvision> medvision) {
    this.medvision = medvision;
  }

  @Override
  public String name() {
    return "tasks";
  }

  @Override
  public String summary() {
    return "list the task plugins with their variants, options, data fields and outputs";
  }

  @Override
  public String description() {
    return "Lists every task plugin on the class path: its name, the paper it implements, the size variants "
        + "(smallest first, the default marked), the DICOM modalities and body parts it was built for, every "
        + "option with its default, allowed values and whether it shapes the model or only its training (set them "
        + "with --set KEY=VALUE on any command), the manifest columns its data needs, its outputs, metric suites, checkpoint layouts (--key-map) and the paper's "
        + "ensemble. Give a task name to see only that task.";
  }

  @Override
  public List<String> examples() {
    return List.of("tasks", "tasks covid-dsa", "tasks --json");
  }

  @Override
  public Options options() {
    return new Options().addOption(Args.flag("json", "print JSON instead of text"));
  }

  @Override
  public int run(CommandLine line, CommandContext ctx) {
    Medvision mv = medvision.get();
    List<TaskProvider> tasks = new ArrayList<>();
    if (line.getArgList().isEmpty()) {
      tasks.addAll(mv.tasks().all());
    } else {
      for (String name : line.getArgList()) {
        tasks.add(mv.tasks().get(name));
      }
    }
    if (line.hasOption("json")) {
      List<Object> out = new ArrayList<>();
      for (TaskProvider t : tasks) {
        out.add(json(t));
      }
      ctx.out().println(Json.write(out));
      return ExitCodes.OK;
    }
    if (tasks.isEmpty()) {
      ctx.out().println("no tasks found; " + Medvision.TASK_HINT);
    }
    for (TaskProvider t : tasks) {
      text(t, ctx.out());
    }
    return ExitCodes.OK;
  }

  private static void text(TaskProvider t, PrintStream out) {
    Task task = t.create(t.defaultConfig());
    out.println(t.name() + (t.description().isEmpty() ? "" : " - " + t.description()));
    out.println("  citation:  " + t.citation());
    List<String> variants = new ArrayList<>();
    t.variants().forEach(v -> variants.add(v.equals(t.defaultVariant()) ? v + " (default)" : v));
    out.println("  variants:  " + String.join(", ", variants));
    if (!t.options().isEmpty()) {
      out.println("  options (--set KEY=VALUE):");
      Table table = new Table("option", "default", "allowed", "affects", "description");
      for (OptionSpec o : t.options()) {
        table.row(o.name(), o.defaultValue(), o.allowed(), o.scope().name().toLowerCase(Locale.ROOT), o.doc());
      }
      table.print(indented(out));
    }
    if (!t.optionAliases().isEmpty()) {
      List<String> aliases = new ArrayList<>();
      t.optionAliases().forEach((flag, option) -> aliases.add("--" + flag + " = --set " + option + "="));
      out.println("  flags:     " + String.join(", ", aliases));
    }
    out.println("  acquired:  " + acquisition(task.acquisition()));
    out.println("  data:      manifest columns " + columns(task) + ", plus optional patient_id and split");
    for (Field f : task.data().fields()) {
      out.println("             " + f.name() + ": " + describe(f));
    }
    for (OutputSpec o : task.outputs()) {
      out.println("  output:    " + o.name() + ": " + o.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ')
          + (o.labels().isEmpty() ? "" : " (" + String.join(", ", o.labels()) + ")")
          + (o.alignedTo().isEmpty() ? "" : " over " + o.alignedTo()));
    }
    List<String> suites = new ArrayList<>();
    for (Supplier<MetricSuite> s : task.metrics()) {
      MetricSuite suite = s.get();
      suites.add(suite.name() + " (" + String.join(", ", suite.selectable().keySet()) + "; default "
          + suite.defaultSelection() + ")");
    }
    out.println("  metrics:   " + String.join("; ", suites));
    task.training().map(r -> r.trainerDefaults()).filter(d -> !d.isEmpty()).ifPresent(d -> {
      List<String> settings = new ArrayList<>();
      d.forEach((k, v) -> settings.add("--" + k + " " + v));
      out.println("  training:  defaults " + String.join(", ", settings) + " (flags of 'medvision train' override)");
    });
    if (!t.keyMaps().isEmpty()) {
      out.println("  key maps:  " + String.join(", ", t.keyMaps().keySet().stream().sorted().toList())
          + " (checkpoint layouts --key-map reads)");
    }
    task.ensemble().ifPresent(e -> {
      List<String> members = new ArrayList<>();
      e.members().forEach((name, opts) -> members.add(name + " (" + opts + ")"));
      out.println("  ensemble:  " + e.description() + ": " + String.join(" + ", members)
          + "; train each, then 'medvision ensemble --members RUN,RUN --out FILE'");
    });
    out.println();
  }

  /** The modalities and body parts a task was built for, and what happens to other DICOM inputs. */
  static String acquisition(Acquisition a) {
    if (a.modalities().isEmpty() && a.bodyParts().isEmpty()) {
      return "any modality and body part (none declared)";
    }
    return "modality " + (a.modalities().isEmpty() ? "any" : String.join(", ", a.modalities())) + "; body part "
        + (a.bodyParts().isEmpty() ? "any" : String.join(", ", a.bodyParts()))
        + " (DICOM inputs outside these are flagged; --strict refuses them)";
  }

  private static PrintStream indented(PrintStream out) {
    return new PrintStream(new OutputStream() {
      private boolean lineStart = true;

      @Override
      public void write(int b) {
        if (lineStart) {
          out.print("    ");
        }
        out.write(b);
        lineStart = b == '\n';
      }
    }, true);
  }

  private static List<String> columns(Task task) {
    List<String> columns = new ArrayList<>();
    for (Field f : task.data().fields()) {
      if (!f.column().isEmpty() && !columns.contains(f.column())) {
        columns.add(f.column() + (f.required() ? "" : " (optional)"));
      }
    }
    return columns;
  }

  /** One line about a field: what it holds and how it is preprocessed. */
  static String describe(Field f) {
    if (f instanceof ImageField i) {
      return "image from column " + i.column() + " (PNG/JPEG/BMP as displayed; DICOM windowed " + i.windowing()
          + "), " + i.preprocessing();
    }
    if (f instanceof VolumeField v) {
      return "volume from column " + v.column() + " (NIfTI file or DICOM series folder), " + v.preprocessing();
    }
    if (f instanceof MaskField m) {
      return "mask from column " + m.column() + ", on the grid of " + m.alignedTo()
          + (m.grid() == null ? "" : ", reduced to " + Arrays.toString(m.grid()))
          + (m.required() ? "" : ", optional") + (m.estimator() == null ? ""
              : m.required() ? "; required in manifests, estimated for a scan predicted without one ("
                  + m.estimator().description() + ")"
              : "; estimated when absent (" + m.estimator().description() + ")");
    }
    if (f instanceof LabelField l) {
      return (l.multiLabel() ? "labels" : "label") + " from column " + l.column() + ": " + l.accepted();
    }
    if (f instanceof AttributeField a) {
      return "number" + (a.derived() ? " (|" + a.ratioOf() + "| / |" + a.ratioTo() + "| unless the column "
          + a.column() + " gives it)" : " from column " + a.column());
    }
    if (f instanceof TextField t) {
      return "text from column " + t.column();
    }
    BagField b = (BagField) f;
    return "bag of up to " + b.maxInstances() + " images from column " + b.column();
  }

  private static Map<String, Object> json(TaskProvider t) {
    Task task = t.create(t.defaultConfig());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", t.name());
    m.put("description", t.description());
    m.put("citation", t.citation());
    m.put("variants", t.variants());
    m.put("defaultVariant", t.defaultVariant());
    List<Object> options = new ArrayList<>();
    for (OptionSpec o : t.options()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", o.name());
      e.put("type", o.type().name());
      e.put("default", o.defaultValue());
      e.put("allowed", o.allowed());
      e.put("choices", o.choices());
      e.put("scope", o.scope().name());
      e.put("doc", o.doc());
      options.add(e);
    }
    m.put("options", options);
    m.put("aliases", t.optionAliases());
    Map<String, Object> acquisition = new LinkedHashMap<>();
    acquisition.put("modalities", List.copyOf(task.acquisition().modalities()));
    acquisition.put("bodyParts", List.copyOf(task.acquisition().bodyParts()));
    m.put("acquisition", acquisition);
    m.put("trainerDefaults", task.training().map(r -> r.trainerDefaults()).orElse(Map.of()));
    List<Object> fields = new ArrayList<>();
    for (Field f : task.data().fields()) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", f.name());
      e.put("column", f.column());
      e.put("required", f.required());
      e.put("description", describe(f));
      fields.add(e);
    }
    m.put("fields", fields);
    m.put("key_maps", t.keyMaps().keySet().stream().sorted().toList());
    m.put("defaultConfig", config(t.defaultConfig()));
    task.ensemble().ifPresent(e -> m.put("ensemble", e.members()));
    return m;
  }

  /** A configuration as JSON: the variant and every option. */
  static Map<String, Object> config(TaskConfig c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("variant", c.variant());
    m.put("options", c.options());
    return m;
  }
}
