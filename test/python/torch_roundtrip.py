"""Round trip through sayre_torch for test/torch/roundtrip.test.ts.

    torch_roundtrip.py MODEL_DIR INPUTS OUTPUTS OUT_MODEL_DIR

Loads MODEL_DIR, runs the inputs (x [T, B, F], lengths [B]; for RNN-T also targets [B, U],
target_lengths [B]) -> outputs "a.*"; then moves every weight by seeded noise, runs them
again -> "b.*", and writes the moved model to OUT_MODEL_DIR for sayre to load.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from sayre_torch import RnntModel, load_model_dir, save_model_dir  # noqa: E402
from sayre_torch import safetensors_io  # noqa: E402


def outputs(model, t, prefix):
    x, lengths = t["x"].float(), t["lengths"].long()
    with torch.no_grad():
        if isinstance(model, RnntModel):
            targets, target_lengths = t["targets"].long(), t["target_lengths"].long()
            enc, lens = model.encode(x, lengths)
            pred = model.predict(targets, target_lengths)
            return {f"{prefix}.enc": enc, f"{prefix}.pred": pred, f"{prefix}.logits": model.joint_logits(enc, lens, pred, target_lengths)}
        logits, _ = model(x, lengths)
        return {f"{prefix}.logits": logits}


def main(model_dir, inputs, out, out_dir):
    torch.manual_seed(0)
    model, config = load_model_dir(model_dir)
    model.eval()
    t, _ = safetensors_io.load(inputs)
    result = outputs(model, t, "a")
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.05 * torch.randn_like(p))
    result |= outputs(model, t, "b")
    save_model_dir(out_dir, model, config, info={"note": "moved by torch_roundtrip.py"})
    safetensors_io.save(out, result)


if __name__ == "__main__":
    main(*sys.argv[1:5])
