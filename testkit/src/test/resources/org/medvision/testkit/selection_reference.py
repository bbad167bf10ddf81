"""PyTorch's results for the selection, reduction and elementwise cases that SelectionTorchParityTest writes.

Usage: selection_reference.py CASES_JSON OUT_JSON. Each case names an op, its float32 input x (shape and row-major
values), int64 indices where the op takes them, and the IR attributes; the output file maps each case name to the
result's shape and values. Everything is computed in float32 with PyTorch's own kernels: advanced indexing for
gather, Python slices for slice, torch.sum/torch.mean, torch.clamp, torch.sqrt/abs/tanh.
"""
import json
import sys

import torch


def tensor(spec, dtype):
    return torch.tensor(spec["data"], dtype=dtype).reshape(spec["shape"])


def run(case):
    x = tensor(case["x"], torch.float32)
    a = case["attrs"]
    op = case["op"]
    if op == "gather":
        axis = a.get("axis", 0) % x.dim()
        index = (slice(None),) * axis + (tensor(case["indices"], torch.int64),)
        return x[index]
    if op == "slice":
        starts, ends = a["starts"], a["ends"]
        axes = a.get("axes", list(range(len(starts))))
        steps = a.get("steps", [1] * len(starts))
        index = [slice(None)] * x.dim()
        for s, e, ax, st in zip(starts, ends, axes, steps):
            index[ax % x.dim()] = slice(s, e, st)
        return x[tuple(index)]
    if op in ("reduce_sum", "reduce_mean"):
        dims = [d % x.dim() for d in a["axes"]] if "axes" in a else list(range(x.dim()))
        keep = a.get("keepdims", 1) == 1
        f = torch.sum if op == "reduce_sum" else torch.mean
        return f(x, dim=dims, keepdim=keep)
    if op == "clip":
        return torch.clamp(x, min=a.get("min"), max=a.get("max"))
    if op in ("sqrt", "abs", "tanh"):
        return getattr(torch, op)(x)
    raise ValueError("unknown op " + op)


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    out = {}
    for case in cases:
        y = run(case)
        out[case["name"]] = {"shape": list(y.shape), "data": y.reshape(-1).tolist()}
    with open(sys.argv[2], "w") as f:
        json.dump(out, f)


if __name__ == "__main__":
    main()
