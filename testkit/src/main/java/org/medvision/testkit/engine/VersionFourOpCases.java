package org.medvision.testkit.engine;

import static org.medvision.api.graph.Op.ABS;
import static org.medvision.api.graph.Op.CLIP;
import static org.medvision.api.graph.Op.GATHER;
import static org.medvision.api.graph.Op.REDUCE_MEAN;
import static org.medvision.api.graph.Op.REDUCE_SUM;
import static org.medvision.api.graph.Op.SLICE;
import static org.medvision.api.graph.Op.SQRT;
import static org.medvision.api.graph.Op.STOP_GRADIENT;
import static org.medvision.api.graph.Op.TANH;

import java.util.List;
import org.medvision.api.graph.Attributes;
import org.medvision.api.graph.Value;

/**
 * The conformance cases of the ops IR version 4 added for text encoders (BERT) and metric losses: gather with
 * negative and repeated indices on several axes, slice with negative, clamped and stepped bounds, the reductions
 * with and without kept axes, the elementwise sqrt, abs, tanh and clip, and stop_gradient.
 */
final class VersionFourOpCases {
  private VersionFourOpCases() {}

  /** Appends every case, grouped by op. */
  static void addTo(List<ConformanceCase> out) {
    gather(out);
    slice(out);
    reductions(out);
    elementwise(out);
  }

  private static Attributes.Builder attrs() {
    return Attributes.builder();
  }

  private static void gather(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(GATHER, "embedding table [7,5] by ids [2,3], repeated and negative, axis 0");
    out.add(c.outputs(c.apply(GATHER, c.parameter("table", -1f, 1f, 7, 5),
        c.indices("ids", new long[] {0, 6, -1, 3, 3, -7}, 2, 3))));

    c = new CaseBuilder(GATHER, "axis 1 of [2,6,3] by [5], repeated and negative");
    out.add(c.outputs(c.apply(GATHER, attrs().set("axis", 1L).build(), c.input("x", 2, 6, 3),
        c.indices("idx", new long[] {5, -6, 2, 2, -1}, 5))));

    c = new CaseBuilder(GATHER, "axis 1 of [2,5,3] by 2-D indices [2,2]");
    out.add(c.outputs(c.apply(GATHER, attrs().set("axis", 1L).build(), c.input("x", 2, 5, 3),
        c.indices("idx", new long[] {4, 0, -2, 4}, 2, 2))));

    c = new CaseBuilder(GATHER, "axis -1 of [3,4] by a scalar index -2");
    out.add(c.outputs(c.apply(GATHER, attrs().set("axis", -1L).build(), c.input("x", 3, 4),
        c.indices("idx", new long[] {-2}))));

    c = new CaseBuilder(GATHER, "axis 0 of a dynamic batch [N,3] fed N=4, by [3] with negative indices");
    out.add(c.outputs(c.apply(GATHER, c.inputDynamicBatch("x", 4, 3), c.indices("idx", new long[] {-1, 0, -4}, 3))));

    c = new CaseBuilder(GATHER, "dynamic batch of ids [N,4] fed N=3 into a table [9,6]");
    out.add(c.outputs(c.apply(GATHER, c.parameter("table", -1f, 1f, 9, 6),
        c.indicesDynamicBatch("ids", new long[] {1, 8, 8, 0, -9, 2, 3, 4, 5, 6, 7, -3}, 3, 4))));
  }

  private static void slice(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(SLICE, "negative starts and ends on both axes of [5,7]");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", -4L, 1L).set("ends", -1L, -2L).build(),
        c.input("x", 5, 7))));

    c = new CaseBuilder(SLICE, "clamped bounds: -100 to 1000 on axis 1, 2 to Long.MAX_VALUE on axis 2 of [2,5,6]");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", -100L, 2L).set("ends", 1000L, Long.MAX_VALUE)
        .set("axes", 1L, 2L).build(), c.input("x", 2, 5, 6))));

    c = new CaseBuilder(SLICE, "steps 2 and 3 on axes (2, 1) of [3,8,7]");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", 1L, 0L).set("ends", 7L, 8L).set("axes", 2L, 1L)
        .set("steps", 2L, 3L).build(), c.input("x", 3, 8, 7))));

    c = new CaseBuilder(SLICE, "step 2 with default axes on [6,5], odd count from start 1");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", new long[] {1}).set("ends", new long[] {6})
        .set("steps", new long[] {2}).build(), c.input("x", 6, 5))));

    c = new CaseBuilder(SLICE, "the first token (CLS) of [2,7,4]: axis 1, 0 to 1");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", new long[] {0}).set("ends", new long[] {1})
        .set("axes", new long[] {1}).build(), c.input("x", 2, 7, 4))));

    c = new CaseBuilder(SLICE, "negative axis -1 of a dynamic batch [N,9] fed N=3, 2 to -2 step 2");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", new long[] {2}).set("ends", new long[] {-2})
        .set("axes", new long[] {-1}).set("steps", new long[] {2}).build(), c.inputDynamicBatch("x", 3, 9))));

    c = new CaseBuilder(SLICE, "the dynamic batch axis of [N,4] fed N=5, -3 to 1000 step 2");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", new long[] {-3}).set("ends", new long[] {1000})
        .set("axes", new long[] {0}).set("steps", new long[] {2}).build(), c.inputDynamicBatch("x", 5, 4))));

    c = new CaseBuilder(SLICE, "rows 1 to 3 of a parameter [4,3]");
    out.add(c.outputs(c.apply(SLICE, attrs().set("starts", new long[] {1}).set("ends", new long[] {3}).build(),
        c.parameter("p", -1f, 1f, 4, 3))));
  }

  private static void reductions(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(REDUCE_SUM, "axes (1, -1) of [2,3,4,5], keepdims 1");
    out.add(c.outputs(c.apply(REDUCE_SUM, attrs().set("axes", 1L, -1L).build(), c.input("x", 2, 3, 4, 5))));

    c = new CaseBuilder(REDUCE_SUM, "axis 0 of [4,3], keepdims 0");
    out.add(c.outputs(c.apply(REDUCE_SUM, attrs().set("axes", new long[] {0}).set("keepdims", 0L).build(),
        c.input("x", 4, 3))));

    c = new CaseBuilder(REDUCE_SUM, "all axes of [3,4,5], keepdims 0 gives a scalar");
    out.add(c.outputs(c.apply(REDUCE_SUM, attrs().set("keepdims", 0L).build(), c.input("x", 3, 4, 5))));

    c = new CaseBuilder(REDUCE_SUM, "all axes of [2,3,4], keepdims 1");
    out.add(c.outputs(c.apply(REDUCE_SUM, c.input("x", 2, 3, 4))));

    c = new CaseBuilder(REDUCE_MEAN, "last axis of [2,3,7], keepdims 1");
    out.add(c.outputs(c.apply(REDUCE_MEAN, attrs().set("axes", new long[] {-1}).build(), c.input("x", 2, 3, 7))));

    c = new CaseBuilder(REDUCE_MEAN, "token axis 1 of [2,7,4], keepdims 0 (mean pooling)");
    out.add(c.outputs(c.apply(REDUCE_MEAN, attrs().set("axes", new long[] {1}).set("keepdims", 0L).build(),
        c.input("x", 2, 7, 4))));

    c = new CaseBuilder(REDUCE_MEAN, "all axes of [3,5], keepdims 1, offset values");
    out.add(c.outputs(c.apply(REDUCE_MEAN, c.input("x", 2f, 4f, 3, 5))));

    c = new CaseBuilder(REDUCE_MEAN, "all axes of [4,3,2], keepdims 0 gives a scalar");
    out.add(c.outputs(c.apply(REDUCE_MEAN, attrs().set("keepdims", 0L).build(), c.input("x", 4, 3, 2))));

    c = new CaseBuilder(REDUCE_MEAN, "axes (0, 2) of a dynamic batch [N,3,5] fed N=2, keepdims 0");
    out.add(c.outputs(c.apply(REDUCE_MEAN, attrs().set("axes", 0L, 2L).set("keepdims", 0L).build(),
        c.inputDynamicBatch("x", 2, 3, 5))));
  }

  private static void elementwise(List<ConformanceCase> out) {
    CaseBuilder c = new CaseBuilder(SQRT, "values in [0, 4), shape [3,7,5]");
    out.add(c.outputs(c.apply(SQRT, c.input("x", 0f, 4f, 3, 7, 5))));

    c = new CaseBuilder(ABS, "values in [-3, 3), shape [2,3,7,5]");
    out.add(c.outputs(c.apply(ABS, c.input("x", -3f, 3f, 2, 3, 7, 5))));

    c = new CaseBuilder(TANH, "values in [-6, 6), shape [4,9]");
    out.add(c.outputs(c.apply(TANH, c.input("x", -6f, 6f, 4, 9))));

    c = new CaseBuilder(CLIP, "min -0.5 and max 0.75 on values in [-2, 2)");
    out.add(c.outputs(c.apply(CLIP, attrs().set("min", -0.5f).set("max", 0.75f).build(),
        c.input("x", -2f, 2f, 3, 4, 5))));

    c = new CaseBuilder(CLIP, "only min 1e-6 (a norm floor) on values in [-1, 1)");
    out.add(c.outputs(c.apply(CLIP, attrs().set("min", 1e-6f).build(), c.input("x", 6, 7))));

    c = new CaseBuilder(CLIP, "only max 0.25 on values in [-1, 1)");
    out.add(c.outputs(c.apply(CLIP, attrs().set("max", 0.25f).build(), c.input("x", 5, 6))));

    c = new CaseBuilder(CLIP, "no bounds is the identity");
    out.add(c.outputs(c.apply(CLIP, c.input("x", -5f, 5f, 2, 9))));

    c = new CaseBuilder(STOP_GRADIENT, "the identity at inference, shape [3,4,5]");
    out.add(c.outputs(c.apply(STOP_GRADIENT, c.input("x", 3, 4, 5))));
  }
}
