"""Independent PyTorch definition of Hara's and MedicalNet's 3-D ResNets, for medvision's ResNet3d tests.

Written for these tests from the published layer names, shapes and strides; it shares no code with Hara's,
MedicalNet's or MONAI's repositories. Run by ResNet3dTorchParityTest through /usr/bin/python3 (Debian's
python3-torch, numpy); it needs nothing else.

Modes (argv[1]):
  count <configs.json>   one line per model: "model <i> params <n>", then "key <i> <name> <d0,d1,...>" per state-dict
                         entry except num_batches_tracked
  forward <dir>          reads <dir>/config.json and <dir>/weights.safetensors (every parameter plus "input", as
                         float32), runs in eval mode in float64, writes <dir>/<out>.f64 (raw little-endian) and
                         <dir>/<out>.shape for out in features, logits
  checkpoint <dir>       builds the model of <dir>/config.json with MedicalNet's conv_seg decoder, draws its weights
                         from torch.manual_seed(config["seed"]) with non-trivial BatchNorm statistics, writes them as a
                         MedicalNet checkpoint would hold them (DataParallel's "module." prefix, num_batches_tracked,
                         conv_seg.*) to <dir>/checkpoint.safetensors, then runs <dir>/input.safetensors as forward does
"""
import contextlib
import json
import struct
import sys

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def conv3(cin, cout, kernel, stride=1, dilation=1):
    # Padding dilation * (kernel // 2) keeps the size at stride 1, for 1x1x1 and 3x3x3 kernels alike.
    return nn.Conv3d(cin, cout, kernel, stride=stride, padding=dilation * (kernel // 2), dilation=dilation,
                     bias=False)


class ZeroPadShortcut(nn.Module):
    """Shortcut type A: stride-s subsampling and zero channels; holds no tensors, so no state-dict keys."""

    def __init__(self, cout, stride):
        super().__init__()
        self.cout = cout
        self.stride = stride

    def forward(self, x):
        y = F.avg_pool3d(x, kernel_size=1, stride=self.stride)
        zeros = y.new_zeros((y.shape[0], self.cout - y.shape[1]) + tuple(y.shape[2:]))
        return torch.cat([y, zeros], dim=1)


class Basic(nn.Module):
    expansion = 1

    def __init__(self, cin, planes, stride, dilation, downsample):
        super().__init__()
        self.conv1 = conv3(cin, planes, 3, stride, dilation)
        self.bn1 = nn.BatchNorm3d(planes)
        self.conv2 = conv3(planes, planes, 3, 1, dilation)
        self.bn2 = nn.BatchNorm3d(planes)
        self.downsample = downsample

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        skip = x if self.downsample is None else self.downsample(x)
        return F.relu(y + skip)


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride, dilation, downsample):
        super().__init__()
        self.conv1 = conv3(cin, planes, 1)
        self.bn1 = nn.BatchNorm3d(planes)
        self.conv2 = conv3(planes, planes, 3, stride, dilation)
        self.bn2 = nn.BatchNorm3d(planes)
        self.conv3 = conv3(planes, planes * 4, 1)
        self.bn3 = nn.BatchNorm3d(planes * 4)
        self.downsample = downsample

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        y = F.relu(self.bn2(self.conv2(y)))
        y = self.bn3(self.conv3(y))
        skip = x if self.downsample is None else self.downsample(x)
        return F.relu(y + skip)


LAYOUTS = {10: (Basic, [1, 1, 1, 1]), 18: (Basic, [2, 2, 2, 2]), 34: (Basic, [3, 4, 6, 3]),
           50: (Bottleneck, [3, 4, 6, 3])}


class ResNet3d(nn.Module):
    def __init__(self, depth, in_channels=1, t_size=7, t_stride=1, no_max_pool=False, shortcut="B",
                 dilated=False, n_classes=0, seg_classes=0):
        super().__init__()
        block, counts = LAYOUTS[depth]
        self.conv1 = nn.Conv3d(in_channels, 64, (t_size, 7, 7), stride=(t_stride, 2, 2),
                               padding=(t_size // 2, 3, 3), bias=False)
        self.bn1 = nn.BatchNorm3d(64)
        self.pool = not no_max_pool
        width = 64
        for i, (planes, n) in enumerate(zip([64, 128, 256, 512], counts)):
            late = dilated and i >= 2
            stride = 1 if i == 0 or late else 2
            dilation = 2 ** (i - 1) if late else 1
            blocks = []
            for j in range(n):
                s = stride if j == 0 else 1
                out = planes * block.expansion
                down = None
                if s != 1 or width != out:
                    if shortcut == "A":
                        down = ZeroPadShortcut(out, s)
                    else:
                        down = nn.Sequential(conv3(width, out, 1, s), nn.BatchNorm3d(out))
                blocks.append(block(width, planes, s, dilation, down))
                width = out
            setattr(self, "layer%d" % (i + 1), nn.Sequential(*blocks))
        self.fc = nn.Linear(width, n_classes) if n_classes else None
        # MedicalNet's segmentation decoder, only so that a checkpoint holds its keys.
        self.conv_seg = nn.Sequential(
            nn.ConvTranspose3d(width, 32, 2, stride=2), nn.BatchNorm3d(32), nn.ReLU(),
            conv3(32, 32, 3), nn.BatchNorm3d(32), nn.ReLU(), conv3(32, seg_classes, 1)) if seg_classes else None

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        if self.pool:
            x = F.max_pool3d(x, 3, stride=2, padding=1)
        for i in range(1, 5):
            x = getattr(self, "layer%d" % i)(x)
        logits = None if self.fc is None else self.fc(torch.flatten(F.adaptive_avg_pool3d(x, 1), 1))
        return x, logits


@contextlib.contextmanager
def uninitialised():
    """Skips the default initialisation of convolutions and linear layers built inside: counting never reads the
    values and forward overwrites them all, and initialising 63 M values takes longer than the forward pass."""
    layers = (nn.modules.conv._ConvNd, nn.Linear)
    saved = [layer.reset_parameters for layer in layers]
    for layer in layers:
        layer.reset_parameters = lambda self: None
    try:
        yield
    finally:
        for layer, reset in zip(layers, saved):
            layer.reset_parameters = reset


def build(cfg, seg_classes=0):
    return ResNet3d(cfg["depth"], cfg["in_channels"], cfg["t_size"], cfg["t_stride"], cfg["no_max_pool"],
                    cfg["shortcut"], cfg["dilated"], cfg.get("n_classes", 0), seg_classes)


def read_safetensors(path):
    # One writable buffer for the whole file; tensors are views into it, so a 250 MB file is read once, not copied.
    raw = np.fromfile(path, dtype=np.uint8)
    n = int(raw[:8].view("<u8")[0])
    header = json.loads(raw[8:8 + n].tobytes().decode("utf-8"))
    header.pop("__metadata__", None)
    data = raw[8 + n:]
    dtypes = {"F32": "<f4", "I64": "<i8"}
    out = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        array = data[begin:end].view(dtypes[info["dtype"]]).reshape(info["shape"])
        out[name] = torch.from_numpy(array)
    return out


def write_safetensors(path, tensors):
    codes = {torch.float32: ("F32", "<f4"), torch.int64: ("I64", "<i8")}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        code, dtype = codes[t.dtype]
        blob = t.detach().contiguous().numpy().astype(dtype).tobytes()
        header[name] = {"dtype": code, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def write_outputs(directory, model, x):
    model.double().eval()
    with torch.no_grad():
        features, logits = model(x.double())
    for name, t in (("features", features), ("logits", logits)):
        if t is not None:
            t.numpy().astype("<f8").tofile("%s/%s.f64" % (directory, name))
            with open("%s/%s.shape" % (directory, name), "w") as f:
                f.write(" ".join(str(d) for d in t.shape))


def count(path):
    for i, cfg in enumerate(json.load(open(path))):
        with uninitialised():
            model = build(cfg)
        print("model %d params %d" % (i, sum(p.numel() for p in model.parameters())))
        for name, t in model.state_dict().items():
            if not name.endswith("num_batches_tracked"):
                print("key %d %s %s" % (i, name, ",".join(str(d) for d in t.shape)))


def forward(directory):
    cfg = json.load(open(directory + "/config.json"))
    tensors = read_safetensors(directory + "/weights.safetensors")
    x = tensors.pop("input")
    with uninitialised():
        model = build(cfg)
    # strict=True: the Java names must be exactly the module's (BatchNorm adds its own missing counters).
    model.load_state_dict(tensors, strict=True)
    write_outputs(directory, model, x)


def checkpoint(directory):
    cfg = json.load(open(directory + "/config.json"))
    torch.manual_seed(cfg["seed"])
    model = build(cfg, seg_classes=2)
    for m in model.modules():
        if isinstance(m, nn.Conv3d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm3d):
            # Statistics a trained model would have, so eval-mode BatchNorm is not the identity.
            nn.init.uniform_(m.weight, 0.5, 1.0)
            nn.init.uniform_(m.bias, -0.2, 0.2)
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
            m.num_batches_tracked.fill_(1000)
    write_safetensors(directory + "/checkpoint.safetensors",
                      {"module." + k: v for k, v in model.state_dict().items()})
    write_outputs(directory, model, read_safetensors(directory + "/input.safetensors")["input"])


if __name__ == "__main__":
    {"count": count, "forward": forward, "checkpoint": checkpoint}[sys.argv[1]](sys.argv[2])
