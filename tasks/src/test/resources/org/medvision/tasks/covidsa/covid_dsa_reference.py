"""Independent PyTorch definition of DSA-Net's model as medvision's covid-dsa task declares it, for its parity tests.

The 3-D ResNet backbone is resnet3d_reference.ResNet3d (the independent definition ResNet3d's own parity tests use; the
Java runner copies it next to this file). The head is written here from the task's documented formula, sharing no code
with the Java graph:

    F = layer4(ct);  Z = Conv3d(C, 1, 1)(F);  A = sigmoid(Z);  logits = fc(GAP(F * (1 + A)))

Modes (argv[1]):
  count <configs.json>   one line per model: "model <i> params <n>", then "key <i> <name> <d0,d1,...>" per state-dict
                         entry except num_batches_tracked
  forward <dir>          builds the model of <dir>/config.json with weights drawn from torch.manual_seed(config["seed"])
                         (backbone convolutions Kaiming-normal fan-out as Hara's, batch norms with non-trivial affine
                         values and statistics, attention and fc PyTorch's defaults), writes them to
                         <dir>/weights.safetensors, runs <dir>/input.safetensors ("input") in eval mode in float64 and
                         writes <dir>/<out>.f64 (raw little-endian) and <dir>/<out>.shape for out in logits, attention,
                         attention_logits
"""
import json
import sys

import torch
import torch.nn.functional as F
from torch import nn

import resnet3d_reference as ref


class DsaNet(ref.ResNet3d):
    """The backbone, its fc (Linear(C, 2)) and the attention projection; state-dict names as the Java graph's."""

    def __init__(self, cfg):
        super().__init__(cfg["depth"], 1, 7, cfg["t_stride"], False, cfg["shortcut"], cfg["dilated"], n_classes=2)
        self.attention = nn.Conv3d(self.fc.in_features, 1, kernel_size=1)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = F.max_pool3d(x, 3, stride=2, padding=1)
        for i in range(1, 5):
            x = getattr(self, "layer%d" % i)(x)
        z = self.attention(x)
        a = torch.sigmoid(z)
        pooled = torch.flatten(F.adaptive_avg_pool3d(x * (1 + a), 1), 1)
        return {"logits": self.fc(pooled), "attention": a, "attention_logits": z}


def count(path):
    for i, cfg in enumerate(json.load(open(path))):
        with ref.uninitialised():
            model = DsaNet(cfg)
        print("model %d params %d" % (i, sum(p.numel() for p in model.parameters())))
        for name, t in model.state_dict().items():
            if not name.endswith("num_batches_tracked"):
                print("key %d %s %s" % (i, name, ",".join(str(d) for d in t.shape)))


def forward(directory):
    cfg = json.load(open(directory + "/config.json"))
    torch.manual_seed(cfg["seed"])
    model = DsaNet(cfg)
    for name, m in model.named_modules():
        if isinstance(m, nn.Conv3d) and name != "attention":
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")
        elif isinstance(m, nn.BatchNorm3d):
            nn.init.uniform_(m.weight, 0.5, 1.0)
            nn.init.uniform_(m.bias, -0.2, 0.2)
            m.running_mean.uniform_(-0.2, 0.2)
            m.running_var.uniform_(0.5, 1.5)
    ref.write_safetensors(directory + "/weights.safetensors",
                          {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")})
    x = ref.read_safetensors(directory + "/input.safetensors")["input"]
    model.double().eval()
    with torch.no_grad():
        outputs = model(x.double())
    for name, t in outputs.items():
        t.numpy().astype("<f8").tofile("%s/%s.f64" % (directory, name))
        with open("%s/%s.shape" % (directory, name), "w") as f:
            f.write(" ".join(str(d) for d in t.shape))


if __name__ == "__main__":
    {"count": count, "forward": forward}[sys.argv[1]](sys.argv[2])
