package org.medvision.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.CompileOptions;
import org.medvision.api.engine.Device;

/** The options that choose an engine, a device and a thread count, shared by predict and bench. */
final class EngineOptions {
  /** Engine used when --engine is absent. */
  static final String DEFAULT_ENGINE = "onnx";

  private EngineOptions() {}

  static Options add(Options options) {
    return options
        .addOption(Args.valued("engine", "NAME", "engine to run on; 'medvision engines' lists them (default: "
            + DEFAULT_ENGINE + ")"))
        .addOption(Args.valued("device", "DEVICE", "cpu, cuda:N or auto (default: cpu)"))
        .addOption(Args.valued("threads", "N", "intra-op threads; 0 lets the engine choose (default: 0)"));
  }

  static String engineName(CommandLine line) {
    return Args.string(line, "engine", DEFAULT_ENGINE);
  }

  static CompileOptions compileOptions(CommandLine line) {
    Device device;
    try {
      device = Device.parse(Args.string(line, "device", "cpu"));
    } catch (MedvisionException e) {
      throw new UsageException(e.getMessage());
    }
    return CompileOptions.defaults().withDevice(device).withThreads(Args.integer(line, "threads", 0, 0));
  }
}
