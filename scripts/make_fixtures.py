#!/usr/bin/python3
"""Writes the PyTorch / torchaudio reference fixtures that the tests read from test/fixtures.

Run it with Debian's python3 (apt-get install python3-torch python3-torchaudio):
    /usr/bin/python3 scripts/make_fixtures.py [OUT_DIR] [--seed N]
OUT_DIR defaults to test/fixtures; the seed to 1. The output is the same on every run.

Writes ctc/*.json, rnnt/*.json, lstm/*.json and fbank/*.json. Every tensor is flat
(row-major) with its shape beside it; infinities are the strings "inf" / "-inf".

To keep the files small without weakening what the tests check:
- inputs are drawn in float64 and then rounded to float32 before the reference runs, because
  the tests feed them to sayre as Float32Array: both sides then see the same input, and
  9 significant digits write each one exactly;
- float64 output arrays (gradients, LSTM outputs) are written to 12 significant digits
  (relative error below 1e-12; the tests compare at 1e-4 to 1e-5); scalar losses in full;
- the cases are smaller than ../shared/fixtures (made by the same recipe at larger sizes),
  which the tests also check when that folder exists beside the repository.
"""
import json, math, os, sys
import torch, torchaudio


def f32(values):
    """Float32 values, written exactly (9 significant digits round-trip a float32)."""
    return [float("%.9g" % v) for v in values]


def f64(values):
    return [float("%.12g" % v) for v in values]


def flat(t):
    return t.detach().reshape(-1).tolist()


def to_f32(t):
    """t rounded to float32 but kept in its dtype, so the reference sees the tests' input."""
    return t.float().to(t.dtype)


def clean(v):
    return v if math.isfinite(v) else ("inf" if v > 0 else "-inf")


def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, separators=(",", ":"))
        f.write("\n")
    os.replace(tmp, path)


def ctc_case(name, T, B, C, target_lengths, input_lengths, blank, scale, out, g, repeats=False):
    S = max(max(target_lengths), 1)
    logits = to_f32(torch.randn(T, B, C, generator=g, dtype=torch.float64) * scale).requires_grad_(True)
    labels = [l for l in range(C) if l != blank]
    targets = torch.full((B, S), labels[0], dtype=torch.long)
    for b, L in enumerate(target_lengths):
        for s in range(L):
            if repeats and s > 0 and torch.rand(1, generator=g).item() < 0.4:
                targets[b, s] = targets[b, s - 1]
            else:
                targets[b, s] = labels[torch.randint(len(labels), (1,), generator=g).item()]
    il = torch.tensor(input_lengths, dtype=torch.long)
    tl = torch.tensor(target_lengths, dtype=torch.long)
    case = {"name": name, "T": T, "B": B, "C": C, "blank": blank,
            "logits": f32(flat(logits)), "logits_shape": [T, B, C],
            "targets": [targets[b, :target_lengths[b]].tolist() for b in range(B)],
            "input_lengths": input_lengths, "target_lengths": target_lengths,
            "note": "loss = ctc_loss(log_softmax(logits, -1), ...) in float64 on float32-valued logits; "
                    "grads are d loss / d logits"}
    for zero_inf in (False, True):
        key = "zero_infinity" if zero_inf else "plain"
        res = {}
        for red in ("none", "sum", "mean"):
            lp = torch.log_softmax(logits, dim=-1)
            loss = torch.nn.functional.ctc_loss(lp, targets, il, tl, blank=blank, reduction=red, zero_infinity=zero_inf)
            if red == "none":
                res["loss_none"] = [clean(v) for v in loss.tolist()]
                continue
            res["loss_" + red] = clean(loss.item())
            logits.grad = None
            if math.isfinite(loss.item()):
                loss.backward()
                res["grad_" + red] = f64(flat(logits.grad))
        case[key] = res
    dump(os.path.join(out, "ctc", name + ".json"), case)


def rnnt_case(name, B, T, U, V, blank, out, g, scale=1.0):
    logit_lengths = [T] + [int(torch.randint(1, T + 1, (1,), generator=g)) for _ in range(B - 1)]
    target_lengths = [U] + [int(torch.randint(0, U + 1, (1,), generator=g)) for _ in range(B - 1)]
    logits = (torch.randn(B, T, U + 1, V, generator=g) * scale).float().requires_grad_(True)
    labels = [l for l in range(V) if l != blank]
    targets = torch.zeros(B, max(U, 1), dtype=torch.int32)
    for b in range(B):
        for u in range(target_lengths[b]):
            targets[b, u] = labels[torch.randint(len(labels), (1,), generator=g).item()]
    case = {"name": name, "B": B, "T": T, "U": U, "V": V, "blank": blank,
            "logits": f32(flat(logits)), "logits_shape": [B, T, U + 1, V],
            "targets": [targets[b, :target_lengths[b]].tolist() for b in range(B)],
            "logit_lengths": logit_lengths, "target_lengths": target_lengths,
            "note": "torchaudio.functional.rnnt_loss(logits, ..., fused_log_softmax=True) in float32 (the only "
                    "precision it takes); grads d loss / d logits"}
    for red in ("none", "sum", "mean"):
        loss = torchaudio.functional.rnnt_loss(logits, targets, torch.tensor(logit_lengths, dtype=torch.int32),
                                               torch.tensor(target_lengths, dtype=torch.int32), blank=blank, reduction=red)
        if red == "none":
            case["loss_none"] = loss.tolist()
            continue
        case["loss_" + red] = loss.item()
        logits.grad = None
        loss.backward()
        case["grad_" + red] = f32(flat(logits.grad))
    dump(os.path.join(out, "rnnt", name + ".json"), case)


def lstm_case(name, T, B, I, H, layers, bidirectional, lengths, out, g):
    torch.manual_seed(int(torch.randint(1 << 30, (1,), generator=g)))
    lstm = torch.nn.LSTM(I, H, num_layers=layers, bidirectional=bidirectional).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.copy_(to_f32(p))
    x = to_f32(torch.randn(T, B, I, generator=g, dtype=torch.float64)).requires_grad_(True)
    packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), enforce_sorted=False)
    y, _ = lstm(packed)
    y, _ = torch.nn.utils.rnn.pad_packed_sequence(y, total_length=T)
    R = to_f32(torch.randn(y.shape, generator=g, dtype=torch.float64))
    loss = (y * R).sum()
    loss.backward()
    params = {n: {"shape": list(p.shape), "data": f32(flat(p)), "grad": f64(flat(p.grad))}
              for n, p in lstm.named_parameters()}
    case = {"name": name, "T": T, "B": B, "input_size": I, "hidden_size": H, "num_layers": layers,
            "bidirectional": bidirectional, "lengths": lengths,
            "note": "torch.nn.LSTM float64 on float32-valued inputs and parameters, PyTorch layout: gates i,f,g,o "
                    "stacked in weight_ih_l{k}[_reverse] (4H x in); padded frames (t >= length) give zero output; "
                    "loss = sum(y * R)",
            "x": f32(flat(x)), "x_shape": [T, B, I], "R": f32(flat(R)), "y": f64(flat(y)), "y_shape": list(y.shape),
            "loss": loss.item(), "grad_x": f64(flat(x.grad)), "params": params}
    dump(os.path.join(out, "lstm", name + ".json"), case)


def fbank_case(name, seconds, sr, out, g, bins=80):
    n = int(seconds * sr)
    t = torch.arange(n, dtype=torch.float64) / sr
    wav = 0.3 * torch.sin(2 * math.pi * (200 + 1500 * t / seconds) * t) + 0.05 * torch.randn(n, generator=g, dtype=torch.float64)
    wav = (wav * 32767).round().clamp(-32768, 32767)
    feats = torchaudio.compliance.kaldi.fbank(wav.float().unsqueeze(0), num_mel_bins=bins, sample_frequency=sr,
                                              dither=0.0, energy_floor=0.0)
    case = {"name": name, "sample_rate": sr, "num_mel_bins": bins,
            "options": "torchaudio.compliance.kaldi.fbank defaults (25 ms povey window, 10 ms shift, preemphasis 0.97, "
                       "remove_dc_offset, snip_edges, use_log_fbank, use_power) with dither=0, energy_floor=0",
            "samples_int16": [int(v) for v in wav.tolist()], "fbank": f32(flat(feats)), "fbank_shape": list(feats.shape)}
    dump(os.path.join(out, "fbank", name + ".json"), case)


def main():
    args = [a for a in sys.argv[1:]]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    out = args[0] if args else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")
    g = torch.Generator().manual_seed(seed)
    ctc_case("tiny", 5, 1, 4, [2], [5], 0, 1.0, out, g)
    ctc_case("repeats", 12, 2, 5, [4, 3], [12, 9], 0, 1.0, out, g, repeats=True)
    ctc_case("batch_varlen", 50, 4, 29, [12, 1, 20, 7], [50, 31, 44, 20], 0, 1.0, out, g, repeats=True)
    ctc_case("blank_last", 30, 3, 10, [5, 8, 2], [30, 25, 10], 9, 1.0, out, g, repeats=True)
    ctc_case("empty_target", 10, 2, 6, [0, 3], [10, 7], 0, 1.0, out, g)
    ctc_case("infeasible", 4, 2, 5, [4, 2], [4, 4], 0, 1.0, out, g, repeats=True)
    ctc_case("large_vocab", 12, 2, 500, [5, 7], [12, 12], 0, 1.0, out, g)
    ctc_case("long", 400, 2, 8, [100, 150], [400, 380], 0, 1.0, out, g, repeats=True)
    ctc_case("peaky", 60, 2, 12, [20, 10], [60, 45], 0, 30.0, out, g, repeats=True)
    rnnt_case("tiny", 1, 3, 2, 4, 0, out, g)
    rnnt_case("batch_varlen", 3, 12, 5, 8, 0, out, g)
    rnnt_case("blank_last", 2, 10, 4, 6, 5, out, g)
    rnnt_case("larger", 2, 24, 10, 20, 0, out, g)
    rnnt_case("peaky", 2, 15, 6, 10, 0, out, g, scale=20.0)
    lstm_case("uni_1layer", 6, 3, 5, 7, 1, False, [6, 4, 1], out, g)
    lstm_case("bi_2layer", 8, 3, 5, 6, 2, True, [8, 5, 2], out, g)
    fbank_case("chirp_16k", 0.5, 16000, out, g)
    fbank_case("chirp_8k_40", 0.4, 8000, out, g, bins=40)


if __name__ == "__main__":
    main()
