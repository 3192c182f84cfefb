"""PyTorch's half-precision rounding for test/python/float16.test.ts.

    torch_half.py INPUTS OUTPUTS

Reads every float32 tensor of INPUTS and writes its `.half()` bits (as int32) under the same
name to OUTPUTS.
"""
import os
import sys

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python"))
from sayre_torch import safetensors_io  # noqa: E402


def main(inputs, outputs):
    tensors, _ = safetensors_io.load(inputs)
    bits = {name: t.half().view(torch.int16).to(torch.int32) & 0xFFFF for name, t in tensors.items() if t.dtype == torch.float32}
    safetensors_io.save(outputs, bits)


if __name__ == "__main__":
    main(*sys.argv[1:3])
