"""Independent PyTorch BERT encoder for medvision's BertEncoder tests.

Written for these tests from the published architecture (Devlin et al. 2019) and Hugging Face's BertModel state-dict
names, with plain tensor operations: no torch.nn modules, no transformers, nothing shared with the Java graph. Runs in
float64. Run by BertTorchParityTest through /usr/bin/python3 (Debian's python3-torch, numpy); the safetensors reader
and writer come from resnet3d_reference.py, which the Java runner copies beside this file.

Modes (argv[1]):
  keys <config.json>   "params <n>", then "key <name> <d0,d1,...>" for every tensor of a BertModel with its pooler, in
                       Hugging Face's state-dict order
  forward <dir>        reads <dir>/config.json, <dir>/model.safetensors (a BertModel's tensors, exactly those names)
                       and <dir>/inputs.safetensors (input_ids, token_type_ids, attention_mask, pool_mask); writes
                       <dir>/<out>.f64 (raw little-endian float64) and <dir>/<out>.shape for out in last_hidden_state,
                       pooler_output, mean_pooled
  pretraining <dir>    draws a BertForPreTraining's weights from torch.manual_seed(<dir>/seed.txt) with non-trivial
                       LayerNorm affines, writes them as TensorFlow-converted BERT checkpoints hold them ("bert."
                       prefix, LayerNorm gamma/beta, the position_ids buffer, the cls.* heads) to
                       <dir>/model.safetensors, then runs forward on them
"""
import json
import math
import sys

import torch

import resnet3d_reference as ref


def shapes(cfg):
    """Hugging Face BertModel's state dict (with pooler): name -> shape, in order."""
    h, inter = cfg["hidden_size"], cfg["intermediate_size"]
    out = {
        "embeddings.word_embeddings.weight": (cfg["vocab_size"], h),
        "embeddings.position_embeddings.weight": (cfg.get("max_position_embeddings", 512), h),
        "embeddings.token_type_embeddings.weight": (cfg.get("type_vocab_size", 2), h),
        "embeddings.LayerNorm.weight": (h,),
        "embeddings.LayerNorm.bias": (h,),
    }
    for i in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % i
        for name, (n_out, n_in) in (("attention.self.query", (h, h)), ("attention.self.key", (h, h)),
                                    ("attention.self.value", (h, h)), ("attention.output.dense", (h, h))):
            out[p + name + ".weight"] = (n_out, n_in)
            out[p + name + ".bias"] = (n_out,)
        out[p + "attention.output.LayerNorm.weight"] = (h,)
        out[p + "attention.output.LayerNorm.bias"] = (h,)
        out[p + "intermediate.dense.weight"] = (inter, h)
        out[p + "intermediate.dense.bias"] = (inter,)
        out[p + "output.dense.weight"] = (h, inter)
        out[p + "output.dense.bias"] = (h,)
        out[p + "output.LayerNorm.weight"] = (h,)
        out[p + "output.LayerNorm.bias"] = (h,)
    out["pooler.dense.weight"] = (h, h)
    out["pooler.dense.bias"] = (h,)
    return out


def layer_norm(x, sd, name, eps):
    mean = x.mean(dim=-1, keepdim=True)
    var = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
    return (x - mean) / torch.sqrt(var + eps) * sd[name + ".weight"] + sd[name + ".bias"]


def dense(x, sd, name):
    return torch.matmul(x, sd[name + ".weight"].t()) + sd[name + ".bias"]


def gelu(x, act):
    if act == "gelu":
        return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))
    if act in ("gelu_new", "gelu_pytorch_tanh"):
        return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x ** 3)))
    raise ValueError("activation " + act)


def encode(cfg, sd, ids, types, mask):
    batch, length = ids.shape
    h, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    d = h // heads
    eps = cfg.get("layer_norm_eps", 1e-12)
    act = cfg.get("hidden_act", "gelu")
    x = (sd["embeddings.word_embeddings.weight"][ids] + sd["embeddings.token_type_embeddings.weight"][types]
         + sd["embeddings.position_embeddings.weight"][:length].unsqueeze(0))
    x = layer_norm(x, sd, "embeddings.LayerNorm", eps)
    # Padded keys are excluded outright (minus infinity), not by a large finite number as Hugging Face does.
    blocked = (mask == 0).view(batch, 1, 1, length)
    for i in range(cfg["num_hidden_layers"]):
        p = "encoder.layer.%d." % i

        def split(t):
            return t.view(batch, length, heads, d).permute(0, 2, 1, 3)

        q = split(dense(x, sd, p + "attention.self.query"))
        k = split(dense(x, sd, p + "attention.self.key"))
        v = split(dense(x, sd, p + "attention.self.value"))
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(d)
        weights = torch.softmax(scores.masked_fill(blocked, float("-inf")), dim=-1)
        context = torch.matmul(weights, v).permute(0, 2, 1, 3).reshape(batch, length, h)
        x = layer_norm(dense(context, sd, p + "attention.output.dense") + x, sd, p + "attention.output.LayerNorm", eps)
        inner = gelu(dense(x, sd, p + "intermediate.dense"), act)
        x = layer_norm(dense(inner, sd, p + "output.dense") + x, sd, p + "output.LayerNorm", eps)
    return x


def write(directory, name, t):
    t.numpy().astype("<f8").tofile("%s/%s.f64" % (directory, name))
    with open("%s/%s.shape" % (directory, name), "w") as f:
        f.write(" ".join(str(n) for n in t.shape))


def run(directory, cfg, sd):
    inputs = ref.read_safetensors(directory + "/inputs.safetensors")
    ids, types = inputs["input_ids"].long(), inputs["token_type_ids"].long()
    mask, pool = inputs["attention_mask"].double(), inputs["pool_mask"].double()
    sd = {k: v.double() for k, v in sd.items()}
    with torch.no_grad():
        hidden = encode(cfg, sd, ids, types, mask)
        pooled = torch.tanh(dense(hidden[:, 0], sd, "pooler.dense"))
        mean = (hidden * pool.unsqueeze(-1)).sum(dim=1) / pool.sum(dim=1, keepdim=True)
    write(directory, "last_hidden_state", hidden)
    write(directory, "pooler_output", pooled)
    write(directory, "mean_pooled", mean)


def keys(path):
    table = shapes(json.load(open(path)))
    print("params %d" % sum(math.prod(s) for s in table.values()))
    for name, s in table.items():
        print("key %s %s" % (name, ",".join(str(n) for n in s)))


def forward(directory):
    cfg = json.load(open(directory + "/config.json"))
    sd = ref.read_safetensors(directory + "/model.safetensors")
    expected = shapes(cfg)
    if set(sd) != set(expected):
        raise SystemExit("model.safetensors names differ from BertModel's: missing %s, unexpected %s"
                         % (sorted(set(expected) - set(sd)), sorted(set(sd) - set(expected))))
    for name, s in expected.items():
        if tuple(sd[name].shape) != s:
            raise SystemExit("%s has shape %s, BertModel's is %s" % (name, tuple(sd[name].shape), s))
    run(directory, cfg, sd)


def pretraining(directory):
    cfg = json.load(open(directory + "/config.json"))
    torch.manual_seed(int(open(directory + "/seed.txt").read()))
    sd = {}
    for name, s in shapes(cfg).items():
        if name.endswith("LayerNorm.weight"):
            sd[name] = torch.empty(s).uniform_(0.5, 1.5)
        elif name.endswith(".bias") or name.endswith("LayerNorm.bias"):
            sd[name] = torch.empty(s).uniform_(-0.1, 0.1)
        else:
            sd[name] = torch.empty(s).uniform_(-0.5, 0.5)
    h, vocab = cfg["hidden_size"], cfg["vocab_size"]
    saved = {}
    for name, t in sd.items():
        if ".LayerNorm." in name:
            name = name.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        saved["bert." + name] = t
    saved["bert.embeddings.position_ids"] = torch.arange(cfg.get("max_position_embeddings", 512)).unsqueeze(0)
    saved["cls.predictions.bias"] = torch.zeros(vocab)
    saved["cls.predictions.transform.dense.weight"] = torch.empty(h, h).uniform_(-0.5, 0.5)
    saved["cls.predictions.transform.dense.bias"] = torch.zeros(h)
    saved["cls.predictions.transform.LayerNorm.gamma"] = torch.ones(h)
    saved["cls.predictions.transform.LayerNorm.beta"] = torch.zeros(h)
    saved["cls.predictions.decoder.weight"] = sd["embeddings.word_embeddings.weight"].clone()
    saved["cls.seq_relationship.weight"] = torch.empty(2, h).uniform_(-0.5, 0.5)
    saved["cls.seq_relationship.bias"] = torch.zeros(2)
    ref.write_safetensors(directory + "/model.safetensors", saved)
    run(directory, cfg, sd)


if __name__ == "__main__":
    {"keys": keys, "forward": forward, "pretraining": pretraining}[sys.argv[1]](sys.argv[2])
