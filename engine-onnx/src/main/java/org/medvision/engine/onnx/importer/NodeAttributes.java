package org.medvision.engine.onnx.importer;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The attributes of one ONNX node, read with type checks. It remembers which were read, so that an attribute no
 * mapping understands is reported instead of silently dropped.
 */
final class NodeAttributes {
  private final Map<String, AttributeProto> byName = new LinkedHashMap<>();
  private final Set<String> read = new HashSet<>();
  private final String where;

  NodeAttributes(NodeProto node, String where) {
    this.where = where;
    for (AttributeProto a : node.getAttributeList()) {
      if (!a.getRefAttrName().isEmpty()) {
        throw new UnsupportedOnnxException(where + ": attribute '" + a.getName() + "' refers to a function "
            + "attribute, which only occurs inside ONNX functions");
      }
      if (byName.put(a.getName(), a) != null) {
        throw new OnnxImportException(where + " sets attribute '" + a.getName() + "' twice");
      }
    }
  }

  Optional<Long> findInt(String name) {
    return find(name, AttributeType.INT).map(AttributeProto::getI);
  }

  Optional<long[]> findInts(String name) {
    return find(name, AttributeType.INTS).map(a -> a.getIntsList().stream().mapToLong(Long::longValue).toArray());
  }

  Optional<Float> findFloat(String name) {
    return find(name, AttributeType.FLOAT).map(AttributeProto::getF);
  }

  Optional<float[]> findFloats(String name) {
    return find(name, AttributeType.FLOATS).map(a -> {
      float[] f = new float[a.getFloatsCount()];
      for (int i = 0; i < f.length; i++) {
        f[i] = a.getFloats(i);
      }
      return f;
    });
  }

  Optional<String> findString(String name) {
    return find(name, AttributeType.STRING).map(a -> a.getS().toStringUtf8());
  }

  Optional<TensorProto> findTensor(String name) {
    return find(name, AttributeType.TENSOR).map(AttributeProto::getT);
  }

  /** Marks {@code name} as understood although it changes nothing the IR computes (e.g. Dropout's seed). */
  void ignore(String name) {
    read.add(name);
  }

  /** Names of attributes that were set but never read. */
  List<String> unread() {
    List<String> out = new ArrayList<>();
    for (String name : byName.keySet()) {
      if (!read.contains(name)) {
        out.add(name);
      }
    }
    return out;
  }

  private Optional<AttributeProto> find(String name, AttributeType type) {
    read.add(name);
    AttributeProto a = byName.get(name);
    if (a == null) {
      return Optional.empty();
    }
    // Very old writers left the type unset; the value field that is present then decides.
    if (a.getType() != type && a.getType() != AttributeType.UNDEFINED) {
      throw new OnnxImportException(where + ": attribute '" + name + "' must be " + type + ", is " + a.getType());
    }
    return Optional.of(a);
  }
}
