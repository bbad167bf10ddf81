"""Writes the ONNX import fuzz seeds: tiny models defined here, exported with torch.onnx (opset 13).

Usage (from the repository root): /usr/bin/python3 engine-onnx/src/test/fuzz/make-seeds.py
"""
import os
import torch

OUT = os.path.join(os.path.dirname(__file__), '..', 'resources', 'org', 'medvision', 'engine', 'onnx', 'importer',
                   'OnnxImportFuzzTestInputs', 'importModel')


class ConvNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3, padding=1)
        self.norm = torch.nn.BatchNorm2d(2)
        self.fc = torch.nn.Linear(2, 3)

    def forward(self, x):
        x = torch.relu(self.norm(self.conv(x)))
        x = torch.nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return torch.softmax(self.fc(x), dim=1)


class Tokens(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(5, 4)

    def forward(self, ids):
        x = torch.sigmoid(self.embed(ids))
        return x.transpose(1, 2).reshape(ids.shape[0], -1)[:, 1:5].sum(dim=1)


def export(model, example, name, **kwargs):
    torch.manual_seed(0)
    model.eval()
    torch.onnx.export(model, example, os.path.join(OUT, name), opset_version=13, **kwargs)


os.makedirs(OUT, exist_ok=True)
torch.manual_seed(0)
export(ConvNet(), torch.zeros(1, 1, 4, 4), 'seed-convnet', input_names=['image'], output_names=['probs'],
       dynamic_axes={'image': {0: 'batch'}})
torch.manual_seed(0)
export(Tokens(), torch.zeros(2, 3, dtype=torch.long), 'seed-tokens', input_names=['ids'], output_names=['pooled'])
