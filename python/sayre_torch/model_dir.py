"""sayre model directories (src/model/io/model-dir.ts): config.json ({"format":
"sayre.ctc-model/1", "model", "tokenizer", "frontEnd", "cmvn", "info"}) and
model.safetensors (the weights under PyTorch names, metadata "format" and "config")."""
import json
import os
import shutil

import torch

from . import safetensors_io
from .models import build_model, resolve_config

MODEL_FORMAT = "sayre.ctc-model/1"
CHECKPOINT_FORMAT = "sayre.ctc-checkpoint/1"


def read_config(directory):
    path = os.path.join(directory, "config.json")
    with open(path, encoding="utf-8") as f:
        config = json.load(f)
    if config.get("format") != MODEL_FORMAT:
        raise ValueError(f"{path}: not a sayre model (format {config.get('format')!r}, expected {MODEL_FORMAT})")
    return config


def load_model_dir(directory):
    """Returns (model, config): the torch module with the directory's weights, and config.json as a dict."""
    config = read_config(directory)
    path = os.path.join(directory, "model.safetensors")
    tensors, metadata = safetensors_io.load(path)
    if metadata.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path}: format {metadata.get('format')!r} is not {CHECKPOINT_FORMAT}")
    if resolve_config(json.loads(metadata["config"])) != resolve_config(config["model"]):
        raise ValueError(f"{path}: holds a different model than config.json describes")
    model = build_model(config["model"])
    # weights stored at half precision (`sayre export --float16`) are widened, as sayre does
    weights = {k: v.float() if v.dtype == torch.float16 else v for k, v in tensors.items() if not k.startswith(("optimizer.", "early_stopping."))}
    model.load_state_dict(weights, strict=True)
    return model, config


def save_model_dir(directory, model, config, info=None):
    """Writes `model` with `config` (config.json's dict: tokenizer, frontEnd, cmvn) as a sayre
    model directory, atomically: into a temporary folder beside it, then renamed into place."""
    if resolve_config(config["model"]) != model.config:
        raise ValueError("save_model_dir: config['model'] does not describe this model")
    out = dict(config, format=MODEL_FORMAT)
    # A directory's LM is a file beside the weights that this writer does not copy: the
    # directory is written without it (`sayre lm attach` gives it one).
    out.pop("lm", None)
    if info is not None:
        out["info"] = info
    parent = os.path.dirname(os.path.abspath(directory))
    os.makedirs(parent, exist_ok=True)
    tmp = os.path.join(parent, f".{os.path.basename(directory)}.{os.getpid()}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    state = {k: v.detach().float() for k, v in model.state_dict().items()}
    safetensors_io.save(os.path.join(tmp, "model.safetensors"), state, {"format": CHECKPOINT_FORMAT, "config": json.dumps(config["model"])})
    with open(os.path.join(tmp, "config.json"), "w", encoding="utf-8") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    old = tmp[:-4] + ".old"
    if os.path.exists(directory):
        os.replace(directory, old)
    os.replace(tmp, directory)
    shutil.rmtree(old, ignore_errors=True)
