package org.medvision.engine.onnx.importer;

import org.medvision.api.graph.ParamRole;
import org.medvision.api.graph.ValueInfo;
import org.medvision.api.tensor.Tensor;

/** What an operator mapping sees of one ONNX node: its inputs, resolved to IR values or constants, and attributes. */
interface NodeInputs {
  /** The node, for messages: {@code node 'name' (OpType)}. */
  String where();

  /** Number of ONNX inputs, counting empty (omitted optional) ones. */
  int count();

  /** True when input {@code i} exists and is not the empty name ONNX uses for an omitted optional input. */
  boolean present(int i);

  /**
   * Input {@code i} as an IR value: a graph input, an earlier node's output, or a constant that becomes a parameter
   * with {@code role}.
   *
   * @return the IR value name
   */
  String data(int i, ParamRole role);

  /**
   * Input {@code i} as the IR value of an index operand: it must be a graph input (the IR reads int64 indices only
   * from graph inputs, never from constants or computed values).
   *
   * @return the IR value name
   * @throws UnsupportedOnnxException when it is a constant or computed by a node
   */
  String indices(int i);

  /** The type of IR value {@code irName}. */
  ValueInfo info(String irName);

  /**
   * Input {@code i}, which the IR takes as an attribute, as a constant: an initializer, a Constant node's output, or
   * a graph input with an offered value.
   *
   * @param what the ONNX input's name in the operator definition, for messages (e.g. {@code "shape"})
   * @throws UnsupportedOnnxException when it is computed at run time
   */
  Tensor constant(int i, String what);

  /** The node's attributes. */
  NodeAttributes attributes();
}
