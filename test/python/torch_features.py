"""sayre_torch's front end for test/python/front-end.test.ts.

    torch_features.py CASES.json INPUTS.safetensors OUTPUTS.safetensors

CASES.json: [{"frontEnd": {...}, "wav": path}, ...]. For case i, INPUTS holds "raw.i" (sayre's
filterbank of the WAV at the front end's rate); OUTPUTS gets "normalised.i" (sayre_torch's
normalisation of sayre's filterbank) and "features.i" (sayre_torch's whole front end on the WAV).
"""
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from sayre_torch import features as fe  # noqa: E402
from sayre_torch import safetensors_io  # noqa: E402


def main(cases_path, inputs, out):
    with open(cases_path, encoding="utf-8") as f:
        cases = json.load(f)
    raw, _ = safetensors_io.load(inputs)
    result = {}
    for i, case in enumerate(cases):
        result[f"normalised.{i}"] = fe.normalise(raw[f"raw.{i}"].float(), case["frontEnd"])
        result[f"features.{i}"] = fe.features(*fe.read_audio(case["wav"]), case["frontEnd"]).float()
    safetensors_io.save(out, result)


if __name__ == "__main__":
    main(*sys.argv[1:4])
