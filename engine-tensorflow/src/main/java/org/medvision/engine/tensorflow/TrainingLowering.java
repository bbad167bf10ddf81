package org.medvision.engine.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.medvision.api.MedvisionException;
import org.medvision.api.engine.EngineException;
import org.medvision.api.graph.Graph;
import org.medvision.api.graph.Node;
import org.medvision.api.graph.Op;
import org.medvision.api.graph.ParameterSpec;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.DType;
import org.medvision.api.training.TrainingGraph;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Lowers a training graph in <em>training mode</em>: BatchNorm normalises with batch statistics and yields ops that
 * move its running statistics, DROPOUT and DROP_PATH multiply by masks fed from the host ({@link TrainingMasks}), and
 * the loss ops are lowered by {@link LossLowering}. Every other op goes through the inference lowering
 * ({@link GraphLowering#lowerNode}), with parameters read from resource variables.
 */
final class TrainingLowering {
  private final Ops tf;
  private final ParameterSource parameters;
  private final ResourceVariables variables;

  /**
   * The lowered training graph.
   *
   * @param floatInputs float32 input placeholders by IR name
   * @param longInputs int64 input placeholders (indices) by IR name
   * @param masks mask placeholders by mask node name
   * @param loss the scalar loss
   * @param terms the scalar named loss terms ({@link TrainingGraph#lossTerms}) by term name, in graph order
   * @param updates the running-statistics assignments, run with every training forward
   */
  record Lowered(Map<String, Operand<TFloat32>> floatInputs, Map<String, Operand<TInt64>> longInputs,
      Map<String, Operand<TFloat32>> masks, Operand<TFloat32> loss, Map<String, Operand<TFloat32>> terms,
      List<org.tensorflow.op.Op> updates) {}

  /**
   * @param tf op factory of the graph being built
   * @param parameters reads of the parameter variables
   * @param variables the session's variables, keyed by parameter name, for the running-statistics updates
   */
  TrainingLowering(Ops tf, ParameterSource parameters, ResourceVariables variables) {
    this.tf = tf;
    this.parameters = parameters;
    this.variables = variables;
  }

  /** Lowers the nodes {@code graph}'s loss (and so its named terms) needs. */
  Lowered lower(Graph graph, TrainingMasks maskNodes) {
    Map<String, ValueInfo> infos = graph.valueInfos();
    Map<String, Placed> values = new HashMap<>();
    Map<String, Operand<TFloat32>> floatInputs = new LinkedHashMap<>();
    Map<String, Operand<TInt64>> longInputs = new LinkedHashMap<>();
    for (ValueInfo in : graph.inputs()) {
      org.tensorflow.ndarray.Shape shape = org.tensorflow.ndarray.Shape.of(in.shape().dims());
      String name = GraphLowering.opName("input" + (floatInputs.size() + longInputs.size()), in.name());
      if (in.dtype() == DType.INT64) {
        longInputs.put(in.name(), tf.withName(name).placeholder(TInt64.class, Placeholder.shape(shape)));
      } else {
        Placeholder<TFloat32> p = tf.withName(name).placeholder(TFloat32.class, Placeholder.shape(shape));
        floatInputs.put(in.name(), p);
        values.put(in.name(), Placed.logical(p, in.shape().dims()));
      }
    }
    Map<String, Operand<TFloat32>> masks = new LinkedHashMap<>();
    for (Node n : maskNodes.nodes()) {
      long[] dims = infos.get(n.inputs().get(0)).shape().dims().clone();
      if (n.op() == Op.DROP_PATH) {
        for (int i = 1; i < dims.length; i++) {
          dims[i] = 1;
        }
      }
      masks.put(n.name(), tf.withName(GraphLowering.opName("mask" + masks.size(), n.name()))
          .placeholder(TFloat32.class, Placeholder.shape(org.tensorflow.ndarray.Shape.of(dims))));
    }
    Map<String, ParameterSpec> params = new HashMap<>();
    for (ParameterSpec p : graph.parameters()) {
      params.put(p.name(), p);
    }
    List<org.tensorflow.op.Op> updates = new ArrayList<>();
    Operand<TFloat32> loss = null;
    int index = 0;
    for (Node n : graph.nodesFor(List.of(TrainingGraph.LOSS))) {
      OpContext ctx = new OpContext(GraphLowering.nodeOps(tf, index++, n), n, infos.get(n.output()).shape().dims());
      List<Placed> in = new ArrayList<>();
      for (int i = 0; i < n.inputs().size(); i++) {
        String name = n.inputs().get(i);
        in.add(n.op().isIndexOperand(i) && longInputs.containsKey(name) ? null : value(values, params, name, n));
      }
      try {
        if (n.op().isLoss()) {
          Operand<TFloat32> l = GraphLowering.lowerLoss(ctx, in, longInputs);
          if (n.output().equals(TrainingGraph.LOSS)) {
            loss = l;
          }
          values.put(n.output(), Placed.logical(l, new long[0]));
        } else {
          values.put(n.output(), lowerNode(ctx, in, masks, updates, longInputs));
        }
      } catch (MedvisionException e) {
        throw e;
      } catch (RuntimeException e) {
        List<String> shapes = new ArrayList<>();
        for (Placed p : in) {
          shapes.add(p == null ? "int64 indices" : Arrays.toString(p.dims()));
        }
        throw new EngineException(ctx.where() + ": TensorFlow rejected it in training mode on inputs " + n.inputs()
            + " of shapes " + shapes + ": " + e.getMessage(), e);
      }
    }
    if (loss == null) {
      Placed v = value(values, params, TrainingGraph.LOSS, null);
      loss = v.operand();
    }
    Map<String, Operand<TFloat32>> terms = new LinkedHashMap<>();
    for (String term : TrainingGraph.lossTerms(graph)) {
      terms.put(term, value(values, params, TrainingGraph.LOSS_TERM_PREFIX + term, null).operand());
    }
    return new Lowered(floatInputs, longInputs, masks, tf.withName("training_loss").identity(loss), terms, updates);
  }

  private Placed lowerNode(OpContext ctx, List<Placed> in, Map<String, Operand<TFloat32>> masks,
      List<org.tensorflow.op.Op> updates, Map<String, Operand<TInt64>> indices) {
    Node n = ctx.node();
    switch (n.op()) {
      case BATCH_NORM:
        return BatchNormTraining.lower(ctx, in, variables.get(n.inputs().get(3)).handle(),
            variables.get(n.inputs().get(4)).handle(), updates);
      case DROPOUT:
      case DROP_PATH: {
        Operand<TFloat32> mask = masks.get(n.name());
        if (mask == null) {
          return in.get(0); // ratio 0: nothing is dropped and nothing is drawn
        }
        Placed x = in.get(0);
        long[] dims = x.dims().clone();
        if (n.op() == Op.DROP_PATH) {
          for (int i = 1; i < dims.length; i++) {
            dims[i] = 1;
          }
        }
        Placed placedMask = Relayout.to(ctx.tf(), Placed.logical(mask, dims), x.layout());
        return new Placed(ctx.tf().math.mul(x.operand(), placedMask.operand()), x.layout(), x.dims());
      }
      default:
        return GraphLowering.lowerNode(ctx, in, indices);
    }
  }

  private Placed value(Map<String, Placed> values, Map<String, ParameterSpec> params, String name, Node reader) {
    Placed v = values.get(name);
    if (v == null) {
      ParameterSpec spec = params.get(name);
      if (spec == null) {
        throw new EngineException((reader == null ? "the loss output" : "node '" + reader.name() + "'") + " reads '"
            + name + "', which no float32 input, parameter or earlier node provides");
      }
      v = Placed.logical(parameters.value(tf.withName(GraphLowering.opName("param", name)), spec),
          spec.shape().dims());
      values.put(name, v);
    }
    return v;
  }
}
