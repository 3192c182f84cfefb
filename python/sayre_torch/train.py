"""Train a sayre CTC or RNN-T speech model in PyTorch, on one device or many
(DistributedDataParallel), from sayre manifests; the result is a sayre model directory.

One process:
    python3 -m sayre_torch.train --train train.jsonl --model-config model.json --out runs/torch
Many GPUs (one process each; several machines: add --nnodes/--node_rank/--rdzv_endpoint):
    torchrun --nproc_per_node 8 -m sayre_torch.train --train train.jsonl --init runs/torch --out runs/torch

--init starts from a sayre model directory (its weights, tokenizer, front end and CMVN);
--model-config starts from fresh weights for a model config (src/model/config.ts fields),
with the default character tokenizer, the front end of --front-end (default 80 mel bins at
16 kHz) and CMVN statistics gathered from up to --cmvn-utterances training utterances.
"""
import argparse
import json
import os
import random
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
import torchaudio

from .features import apply_cmvn, features, fit_cmvn, read_audio
from .model_dir import load_model_dir, save_model_dir
from .models import CrnnModel, RnntModel, build_model

DEFAULT_ALPHABET = " 'abcdefghijklmnopqrstuvwxyz"


def read_manifest(path):
    """Entries of a sayre manifest (JSON lines), audio paths made absolute (they are relative to the manifest)."""
    base = os.path.dirname(os.path.abspath(path))
    entries = []
    with open(path, encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            if not line.strip():
                continue
            e = json.loads(line)
            if not isinstance(e.get("audio"), str) or not isinstance(e.get("text"), str):
                raise ValueError(f"{path}:{i}: needs \"audio\" and \"text\"")
            e["audio"] = os.path.join(base, e["audio"])
            entries.append(e)
    return entries


def make_batches(entries, max_frames, max_batch, frame_seconds, seed):
    """Length-bucketed batches (utterances of similar duration together), shuffled."""
    order = sorted(range(len(entries)), key=lambda i: entries[i].get("duration", 0))
    batches, cur = [], []
    for i in order:
        frames = entries[i].get("duration", 0) / frame_seconds
        if cur and (len(cur) >= max_batch or frames * (len(cur) + 1) > max_frames):
            batches.append(cur)
            cur = []
        cur.append(i)
    if cur:
        batches.append(cur)
    random.Random(seed).shuffle(batches)
    return batches


class BatchDataset(torch.utils.data.Dataset):
    """One item per batch: features [T, B, F] (CMVN applied), lengths, targets [B, U], target lengths."""

    def __init__(self, entries, batches, config):
        self.entries, self.batches, self.config = entries, batches, config
        self.ids = {c: i + 1 for i, c in enumerate(config["tokenizer"]["alphabet"])}

    def __len__(self):
        return len(self.batches)

    def __getitem__(self, k):
        feats, labels = [], []
        for i in self.batches[k]:
            e = self.entries[i]
            samples, rate = read_audio(e["audio"])
            feats.append(apply_cmvn(features(samples, rate, self.config["frontEnd"]), self.config["cmvn"]))
            try:
                labels.append(torch.tensor([self.ids[c] for c in e["text"]], dtype=torch.long))
            except KeyError as err:
                raise ValueError(f"{e['audio']}: character {err} of {e['text']!r} is not in the alphabet") from None
        lengths = torch.tensor([f.shape[0] for f in feats])
        x = torch.nn.utils.rnn.pad_sequence(feats)
        targets = torch.nn.utils.rnn.pad_sequence(labels, batch_first=True) if labels else torch.zeros(0, 0, dtype=torch.long)
        return x, lengths, targets, torch.tensor([len(y) for y in labels])


def loss_of(net, rnnt, x, lengths, targets, target_lengths, blank):
    """The batch's mean loss; `net` is the model or its DistributedDataParallel wrapper."""
    if rnnt:
        logits, lens = net(x, lengths, targets, target_lengths)
        return torchaudio.functional.rnnt_loss(logits, targets.int(), lens.int(), target_lengths.int(), blank=blank, reduction="mean")
    logits, lens = net(x, lengths)
    flat = torch.cat([targets[b, :target_lengths[b]] for b in range(targets.shape[0])])
    loss = F.ctc_loss(logits.log_softmax(-1), flat, lens, target_lengths, blank=blank, reduction="sum", zero_infinity=True)
    return loss / x.shape[1]


def start_config(args, entries):
    """(model, config.json dict) to train: from --init, or fresh from --model-config."""
    if args.init:
        return load_model_dir(args.init)
    with open(args.model_config, encoding="utf-8") as f:
        model_config = json.load(f)
    model_config.setdefault("numClasses", len(DEFAULT_ALPHABET) + 1)
    front_end = json.loads(args.front_end) if args.front_end else {"sampleRate": 16000, "fbank": {"numMelBins": 80}}
    if model_config.get("bidirectional") is False and "utteranceCmvn" in front_end:
        raise ValueError("--front-end: a streaming model (\"bidirectional\": false) cannot use utteranceCmvn, which needs the whole utterance (slidingCmvn is causal)")
    sample = random.Random(args.seed).sample(entries, min(len(entries), args.cmvn_utterances))
    cmvn = fit_cmvn([features(*read_audio(e["audio"]), front_end) for e in sample])
    torch.manual_seed(args.seed)
    config = {"model": model_config, "tokenizer": {"type": "char", "alphabet": DEFAULT_ALPHABET}, "frontEnd": front_end, "cmvn": cmvn}
    return build_model(model_config), config


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--train", required=True, help="sayre manifest (JSON lines)")
    p.add_argument("--out", required=True, help="model directory to write (rewritten after every epoch)")
    start = p.add_mutually_exclusive_group(required=True)
    start.add_argument("--init", help="sayre model directory to start from")
    start.add_argument("--model-config", help="JSON file of a model config, for fresh weights")
    p.add_argument("--front-end", help="front end JSON with --model-config (default 80 mel bins, 16 kHz)")
    p.add_argument("--cmvn-utterances", type=int, default=500)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--steps", type=int, default=0, help="stop after this many optimiser steps (0: no limit)")
    p.add_argument("--lr", type=float, default=1.5e-3)
    p.add_argument("--clip", type=float, default=5.0)
    p.add_argument("--max-frames", type=int, default=8000, help="feature frames per batch per process")
    p.add_argument("--max-batch", type=int, default=16)
    p.add_argument("--workers", type=int, default=2, help="feature-computing DataLoader workers per process")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--log-every", type=int, default=50)
    args = p.parse_args(argv)

    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local = int(os.environ.get("LOCAL_RANK", "0"))
    device = torch.device(f"cuda:{local}" if torch.cuda.is_available() else "cpu")
    if world > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    if device.type == "cuda":
        torch.cuda.set_device(device)

    entries = read_manifest(args.train)
    model, config = start_config(args, entries)
    if isinstance(model, CrnnModel):
        raise SystemExit("sayre_torch.train trains speech models (CTC, RNN-T); text-line models train in sayre")
    if world > 1:
        # every process must start from the same weights and statistics: rank 0's
        objects = [config if rank == 0 else None]
        dist.broadcast_object_list(objects, 0)
        config = objects[0]
    model.to(device)
    net = torch.nn.parallel.DistributedDataParallel(model, device_ids=[local] if device.type == "cuda" else None) if world > 1 else model
    if world > 1:
        for t in model.state_dict().values():
            dist.broadcast(t, 0)
    blank, rnnt = model.config["blank"], isinstance(model, RnntModel)
    frame_seconds = config["frontEnd"].get("fbank", {}).get("frameShiftMs", 10) / 1000
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    step, frames_seen, started = 0, 0, time.time()
    for epoch in range(args.epochs):
        batches = make_batches(entries, args.max_frames, args.max_batch, frame_seconds, args.seed + epoch)
        # each process takes every world-th batch; all take the same number (DDP steps in lockstep)
        per_rank = max(1, len(batches) // world)
        mine = [batches[(r * world + rank) % len(batches)] for r in range(per_rank)]
        loader = torch.utils.data.DataLoader(BatchDataset(entries, mine, config), batch_size=None, shuffle=False, num_workers=args.workers)
        net.train()
        for x, lengths, targets, target_lengths in loader:
            x, lengths, targets, target_lengths = x.to(device), lengths.to(device), targets.to(device), target_lengths.to(device)
            loss = loss_of(net, rnnt, x, lengths, targets, target_lengths, blank)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), args.clip)
            opt.step()
            step += 1
            frames_seen += int(lengths.sum())
            if rank == 0 and (step % args.log_every == 0 or step == 1):
                rate = frames_seen * world / max(1e-9, time.time() - started)  # input frames, all processes together (rank 0's count x world)
                print(f"epoch {epoch + 1} step {step} loss {loss.item():.4f} ({rate:.0f} frames/s over {world} process(es))", flush=True)
            if args.steps and step >= args.steps:
                break
        if rank == 0:
            info = dict(config.get("info", {}), trainedWith="sayre_torch.train", epoch=epoch + 1, step=step, processes=world)
            # a CPU copy: the model itself stays where DDP holds it
            snapshot = build_model(config["model"])
            snapshot.load_state_dict({k: v.cpu() for k, v in model.state_dict().items()})
            save_model_dir(args.out, snapshot, config, info=info)
        if args.steps and step >= args.steps:
            break
    if world > 1:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
