"""PyTorch's trilinear resize, the reference for medvision's VolumeOps.resize tests.

Run by VolumeResizeTorchTest through /usr/bin/python3 (Debian's python3-torch and numpy); it needs nothing else.

Usage: trilinear_reference.py <cases.json>
  cases.json is a list of {"name", "input", "in": [D, H, W], "out": [d, h, w], "output"}; "input" holds D*H*W
  float64 little-endian values, W fastest. Each case is resized with
  F.interpolate(x[None, None], size=out, mode="trilinear", align_corners=False) in float64 and written to "output"
  the same way. One line per case: "case <name> <d>x<h>x<w>".
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F


def main(request):
    with open(request) as f:
        cases = json.load(f)
    for case in cases:
        x = np.fromfile(case["input"], dtype="<f8").reshape(case["in"])
        t = torch.from_numpy(x)[None, None]
        y = F.interpolate(t, size=tuple(case["out"]), mode="trilinear", align_corners=False)[0, 0]
        y.numpy().astype("<f8").tofile(case["output"])
        print("case", case["name"], "x".join(str(d) for d in y.shape))


if __name__ == "__main__":
    main(sys.argv[1])
