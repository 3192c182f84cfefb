"""sayre's speech and text-line networks in PyTorch, with the same parameter names, and
sayre model directories (config.json + model.safetensors) read and written both ways.

    from sayre_torch import load_model_dir, save_model_dir
    model, config = load_model_dir("models/english")   # a torch.nn.Module
    ...train it...
    save_model_dir("runs/torch-model", model, config)   # `sayre transcribe --model runs/torch-model`
"""
from .models import CrnnModel, CtcModel, RnntModel, build_model
from .model_dir import load_model_dir, save_model_dir

__all__ = ["CtcModel", "RnntModel", "CrnnModel", "build_model", "load_model_dir", "save_model_dir"]
