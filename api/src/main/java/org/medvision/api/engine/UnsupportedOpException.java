package org.medvision.api.engine;

import java.util.Collection;
import java.util.stream.Collectors;
import org.medvision.api.graph.Op;

/** A graph uses ops an engine cannot run; every such op is listed, with the node that first uses it. */
public class UnsupportedOpException extends EngineException {
  /** Creates the exception for {@code engine} and the ops it lacks. */
  public UnsupportedOpException(String engine, Collection<String> opAndNode) {
    super("engine '" + engine + "' does not support " + opAndNode.stream().collect(Collectors.joining(", "))
        + "; try another engine (medvision engines lists what each supports)");
  }

  /** Formats one op and a node that uses it, for the constructor. */
  public static String describe(Op op, String node) {
    return op.irName() + " (node '" + node + "')";
  }
}
