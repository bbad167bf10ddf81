package org.medvision.api.training;

import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.tensor.Tensor;

/** The check every engine makes before {@link TrainingSession#assignBuffers}, so all give one message. */
public final class BufferValues {
  private BufferValues() {}

  /**
   * Checks that every entry names a buffer of {@code graph} and has its shape.
   *
   * @throws MedvisionException naming the first entry that is not a buffer of the graph or has another shape
   */
  public static void check(Graph graph, Map<String, Tensor> buffers) {
    for (Map.Entry<String, Tensor> e : buffers.entrySet()) {
      ParameterSpec p = graph.parameter(e.getKey()).orElseThrow(() -> new MedvisionException("cannot assign '"
          + e.getKey() + "': graph '" + graph.name() + "' has no parameter or buffer of that name"));
      if (p.role().trainable()) {
        throw new MedvisionException("cannot assign '" + p.name() + "' of graph '" + graph.name() + "': it is a "
            + "trainable parameter (" + p.role() + "), and only buffers may be assigned");
      }
      if (!e.getValue().shape().equals(p.shape())) {
        throw new MedvisionException("cannot assign '" + p.name() + "' of graph '" + graph.name() + "': the value "
            + "has shape " + e.getValue().shape() + ", the buffer " + p.shape());
      }
    }
  }
}
