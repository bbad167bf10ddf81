package org.medvision.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Key;
import com.google.inject.TypeLiteral;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.medvision.api.embed.Medvision;
import org.medvision.api.engine.EngineProvider;
import org.medvision.api.registry.NamedRegistry;
import org.medvision.cli.inject.CliModule;

class GuiceCompositionTest {
  @Test
  void theDefaultModuleDiscoversPluginsOnceAndWiresEveryCommand() {
    Injector injector = Guice.createInjector(new CliModule());
    Medvision mv = injector.getInstance(Medvision.class);
    assertSame(mv, injector.getInstance(Medvision.class));
    assertSame(mv.engines(), injector.getInstance(Key.get(new TypeLiteral<NamedRegistry<EngineProvider>>() {})));
    assertEquals(List.of("djl", "onnx", "tensorflow"), mv.engines().names().stream().sorted().toList());
    assertEquals(List.of("strokenext", "covid-dsa", "cxr-prototype"), mv.tasks().names());
    List<Command> commands = injector.getInstance(Key.get(new TypeLiteral<List<Command>>() {}));
    assertEquals(List.of("tasks", "engines", "info", "export", "import", "predict", "batch", "bench", "conformance",
        "synth", "train", "evaluate", "ensemble", "demo", "dicom"), commands.stream().map(Command::name).toList());

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    int code = injector.getInstance(Main.class).run(new String[] {"engines"}, ps, ps, false);
    assertEquals(ExitCodes.OK, code);
    assertEquals("onnx", out.toString(StandardCharsets.UTF_8).split(" ")[0]);
  }
}
