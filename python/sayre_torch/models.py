"""sayre's networks as torch.nn.Modules with sayre's parameter names (src/model/):

  CtcModel   frames [T, B, F] -> frame stacking -> (Bi)LSTM `lstm` -> Linear `fc` -> logits [T', B, C]
  RnntModel  the same encoder `lstm`, then `joint.enc`; prediction network `pred.embed`,
             `pred.lstm`, `joint.pred` (no bias); joint `joint.out(tanh(enc + pred))`
  CrnnModel  column frames [W, B, H] -> conv blocks `conv.i` (k x k same padding, ReLU,
             max pool) -> columns of C*H' values -> `lstm` -> `fc`

Each module's state_dict() names are sayre's, so sayre's safetensors load with
load_state_dict() as they are. Everything is time-major as in sayre, and outputs are zero at padded frames, as sayre's
are: a padded batch gives each sequence exactly what it would give alone.
"""
import torch
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def _int(cfg, key, default=None, minimum=1):
    v = cfg.get(key, default)
    if v is None:
        raise ValueError(f"model config: \"{key}\" is required")
    if not isinstance(v, int) or isinstance(v, bool) or v < minimum:
        raise ValueError(f"model config: \"{key}\" must be an integer >= {minimum}, got {v!r}")
    return v


def resolve_config(cfg):
    """The config with sayre's defaults filled in (config.ts, transducer-config.ts, crnn-config.ts)."""
    kind = cfg.get("type", "ctc")
    if "latencyControl" in cfg:
        # torch.nn.LSTM runs the reverse direction over the whole sequence: it would compute another function
        raise ValueError("model config: \"latencyControl\" (a latency-controlled BiLSTM, src/nn/lstm-latency.ts) is not implemented in sayre_torch")
    out = dict(cfg)
    out["bidirectional"] = cfg.get("bidirectional", True)
    out["blank"] = _int(cfg, "blank", 0, 0)
    out["numClasses"] = _int(cfg, "numClasses", None, 2)
    out["hiddenSize"] = _int(cfg, "hiddenSize")
    out["numLayers"] = _int(cfg, "numLayers")
    if kind == "crnn":
        out["height"] = _int(cfg, "height")
        out["blocks"] = [{"channels": _int(b, "channels"), "kernel": _int(b, "kernel", 3), "pool": b.get("pool")} for b in cfg["blocks"]]
        return out
    out["inputDim"] = _int(cfg, "inputDim")
    out["frameStack"] = _int(cfg, "frameStack", 1)
    out["frameStride"] = _int(cfg, "frameStride", 1)
    if kind == "rnnt":
        out["predEmbedDim"] = _int(cfg, "predEmbedDim", 64)
        out["predHiddenSize"] = _int(cfg, "predHiddenSize", out["hiddenSize"])
        out["predNumLayers"] = _int(cfg, "predNumLayers", 1)
        out["jointDim"] = _int(cfg, "jointDim", out["hiddenSize"])
    elif kind != "ctc":
        raise ValueError(f"model config: unknown \"type\" {kind!r} (ctc, rnnt, crnn)")
    return out


def frame_mask(lengths, steps):
    """[steps, B, 1] float: 1 where t < lengths[b]."""
    t = torch.arange(steps, device=lengths.device)[:, None]
    return (t < lengths[None, :]).unsqueeze(-1).float()


def stack_frames(x, lengths, stack, stride):
    """x [T, B, F] -> [ceil(T/stride), B, stack*F]: output frame j = input frames j*stride .. +stack-1, zeros past each length."""
    T = x.shape[0]
    T2 = -(-T // stride)
    x = x * frame_mask(lengths, T)
    if stack == 1 and stride == 1:
        return x, lengths
    padded = torch.cat([x, x.new_zeros(stack - 1 + stride, *x.shape[1:])], 0)
    parts = [padded[i:i + T2 * stride:stride] for i in range(stack)]
    return torch.cat(parts, 2), torch.div(lengths + stride - 1, stride, rounding_mode="floor")


def run_lstm(lstm, x, lengths):
    """A (Bi)LSTM over padded x [T, B, F] with per-sequence lengths -> [T, B, D*H], zero at padding."""
    packed = pack_padded_sequence(x, lengths.cpu(), enforce_sorted=False)
    y, _ = lstm(packed)
    y, _ = pad_packed_sequence(y, total_length=x.shape[0])
    return y


def encoder_lstm(c):
    """The acoustic encoder's (Bi)LSTM stack (its input: stacked frames)."""
    return nn.LSTM(c["inputDim"] * c["frameStack"], c["hiddenSize"], c["numLayers"], bidirectional=c["bidirectional"])


def run_encoder(lstm, c, x, lengths):
    """Frame stacking, then the LSTM stack: x [T, B, F] -> [T', B, D*H], lengths [B]."""
    frames, lens = stack_frames(x, lengths, c["frameStack"], c["frameStride"])
    return run_lstm(lstm, frames, lens), lens


class CtcModel(nn.Module):
    """sayre's CtcModel: forward(x [T, B, F], lengths [B]) -> (logits [T', B, C], lengths [B])."""

    def __init__(self, config):
        super().__init__()
        self.config = resolve_config(config)
        c = self.config
        self.lstm = encoder_lstm(c)
        self.fc = nn.Linear((2 if c["bidirectional"] else 1) * c["hiddenSize"], c["numClasses"])

    def forward(self, x, lengths):
        h, lens = run_encoder(self.lstm, self.config, x, lengths)
        return self.fc(h) * frame_mask(lens, h.shape[0]), lens


class Prediction(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embed = nn.Embedding(c["numClasses"], c["predEmbedDim"])
        self.lstm = nn.LSTM(c["predEmbedDim"], c["predHiddenSize"], c["predNumLayers"])


class Joint(nn.Module):
    def __init__(self, c):
        super().__init__()
        D = 2 if c["bidirectional"] else 1
        self.enc = nn.Linear(D * c["hiddenSize"], c["jointDim"])
        self.pred = nn.Linear(c["predHiddenSize"], c["jointDim"], bias=False)
        self.out = nn.Linear(c["jointDim"], c["numClasses"])


class RnntModel(nn.Module):
    """sayre's RnntModel. The start symbol is the blank's embedding."""

    def __init__(self, config):
        super().__init__()
        self.config = resolve_config(config)
        c = self.config
        self.lstm = encoder_lstm(c)
        self.pred = Prediction(c)
        self.joint = Joint(c)

    def encode(self, x, lengths):
        """x [T, B, F] -> encoder projection [T', B, J] (zero at padding), lengths."""
        h, lens = run_encoder(self.lstm, self.config, x, lengths)
        return self.joint.enc(h) * frame_mask(lens, h.shape[0]), lens

    def predict(self, targets, target_lengths):
        """targets [B, U] (padded) -> prediction projection [B, U+1, J]: position u has seen the start symbol and labels 1..u."""
        c = self.config
        B, U = targets.shape
        valid = torch.arange(U, device=targets.device)[None, :] < target_lengths[:, None]
        ids = torch.cat([targets.new_full((B, 1), c["blank"]), torch.where(valid, targets, c["blank"])], 1)
        y, _ = self.pred.lstm(self.pred.embed(ids).transpose(0, 1))
        mask = frame_mask(target_lengths + 1, U + 1).transpose(0, 1)
        return self.joint.pred(y.transpose(0, 1)) * mask

    def joint_logits(self, enc, enc_lengths, pred, target_lengths):
        """enc [T, B, J], pred [B, U1, J] -> logits [B, T, U1, V] (rnnt_loss's layout), zero outside each sequence."""
        z = self.joint.out(torch.tanh(enc.transpose(0, 1)[:, :, None, :] + pred[:, None, :, :]))
        t_mask = frame_mask(enc_lengths, enc.shape[0]).transpose(0, 1)[:, :, :, None]
        u_mask = frame_mask(target_lengths + 1, pred.shape[1]).transpose(0, 1)[:, None, :, :]
        return z * t_mask * u_mask

    def forward(self, x, lengths, targets, target_lengths):
        enc, lens = self.encode(x, lengths)
        return self.joint_logits(enc, lens, self.predict(targets, target_lengths), target_lengths), lens

    def step(self, labels, state=None):
        """One prediction step for decoding: labels [N] -> (projection [N, J], (h, c))."""
        y, state = self.pred.lstm(self.pred.embed(labels)[None], state)
        return self.joint.pred(y[0]), state


def column_mask(maps, widths):
    """[B, 1, 1, W] float: 1 in the columns left of each image's width, for maps [B, C, H, W]."""
    return (torch.arange(maps.shape[3], device=maps.device)[None, :] < widths[:, None]).float()[:, None, None, :]


class CrnnModel(nn.Module):
    """sayre's CrnnModel over column frames [W, B, height] with per-image widths."""

    def __init__(self, config):
        super().__init__()
        self.config = resolve_config(config)
        c = self.config
        convs, C, rows = [], 1, c["height"]
        for b in c["blocks"]:
            convs.append(nn.Conv2d(C, b["channels"], b["kernel"], padding=b["kernel"] // 2))
            C = b["channels"]
            if b["pool"]:
                rows //= b["pool"][0]
        self.conv = nn.ModuleList(convs)
        self.lstm = nn.LSTM(C * rows, c["hiddenSize"], c["numLayers"], bidirectional=c["bidirectional"])
        self.fc = nn.Linear((2 if c["bidirectional"] else 1) * c["hiddenSize"], c["numClasses"])

    def forward(self, x, widths):
        # columns right of an image's width read as zero in every convolution, as in sayre
        m = x.permute(1, 2, 0).unsqueeze(1)
        for conv, b in zip(self.conv, self.config["blocks"]):
            m = torch.relu(conv(m * column_mask(m, widths)))
            if b["pool"]:
                m = nn.functional.max_pool2d(m * column_mask(m, widths), tuple(b["pool"]))
                widths = torch.div(widths, b["pool"][1], rounding_mode="floor")
        m = m * column_mask(m, widths)
        B, C, H, W = m.shape
        frames = m.permute(3, 0, 1, 2).reshape(W, B, C * H)
        h = run_lstm(self.lstm, frames, widths)
        return self.fc(h) * frame_mask(widths, W), widths


def build_model(config):
    """The module a sayre model config describes ("type": rnnt, crnn, or ctc / none)."""
    kind = config.get("type", "ctc")
    return RnntModel(config) if kind == "rnnt" else CrnnModel(config) if kind == "crnn" else CtcModel(config)
