package org.medvision.cli.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import java.util.List;
import org.medvision.api.embed.Medvision;
import org.medvision.api.embed.MedvisionModule;
import org.medvision.cli.BatchCommand;
import org.medvision.cli.BenchCommand;
import org.medvision.cli.Command;
import org.medvision.cli.ConformanceCommand;
import org.medvision.cli.DemoCommand;
import org.medvision.cli.DicomCommand;
import org.medvision.cli.EnginesCommand;
import org.medvision.cli.EnsembleCommand;
import org.medvision.cli.EvaluateCommand;
import org.medvision.cli.ExportCommand;
import org.medvision.cli.ImportCommand;
import org.medvision.cli.InfoCommand;
import org.medvision.cli.PredictCommand;
import org.medvision.cli.SynthCommand;
import org.medvision.cli.TasksCommand;
import org.medvision.cli.TrainCommand;

/**
 * Binds the commands of {@code medvision} over a {@link Medvision} from {@link MedvisionModule}. Plugin discovery
 * happens when a command first needs it, once per injector.
 */
public final class CliModule extends AbstractModule {
  private final MedvisionModule medvision;

  /** Discovers plugins on the class path. */
  public CliModule() {
    this.medvision = new MedvisionModule();
  }

  /** Uses {@code medvision}, e.g. one assembled from fixed plugin lists. */
  public CliModule(Medvision medvision) {
    this.medvision = new MedvisionModule(medvision);
  }

  @Override
  protected void configure() {
    install(medvision);
  }

  /** The commands in the order {@code medvision --help} lists them. */
  @Provides
  @Singleton
  List<Command> commands(TasksCommand tasks, EnginesCommand engines, InfoCommand info, ExportCommand export,
      ImportCommand importer, PredictCommand predict, BatchCommand batch, BenchCommand bench,
      ConformanceCommand conformance, SynthCommand synth, TrainCommand train, EvaluateCommand evaluate,
      EnsembleCommand ensemble, DemoCommand demo, DicomCommand dicom) {
    return List.of(tasks, engines, info, export, importer, predict, batch, bench, conformance, synth, train, evaluate,
        ensemble, demo, dicom);
  }
}
