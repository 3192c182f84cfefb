"""sayre's speech front end in PyTorch (src/audio/front-end.ts): audio -> resampled to
the model's rate -> Kaldi log-mel filterbank (torchaudio.compliance.kaldi.fbank, which
sayre's fbank matches) -> the front end's sliding-window or per-utterance normalisation,
if any -> CMVN with the model's statistics."""
import wave

import torch
import torchaudio

# sayre's fbank option names -> torchaudio.compliance.kaldi.fbank's
_FBANK_NAMES = {
    "numMelBins": "num_mel_bins", "frameLengthMs": "frame_length", "frameShiftMs": "frame_shift",
    "preemphasis": "preemphasis_coefficient", "removeDcOffset": "remove_dc_offset", "windowType": "window_type",
    "blackmanCoeff": "blackman_coeff", "lowFreq": "low_freq", "highFreq": "high_freq", "useEnergy": "use_energy",
    "energyFloor": "energy_floor", "rawEnergy": "raw_energy", "htkCompat": "htk_compat", "useLogFbank": "use_log_fbank",
    "usePower": "use_power", "snipEdges": "snip_edges", "roundToPowerOfTwo": "round_to_power_of_two",
    "subtractMean": "subtract_mean",
}


def read_audio(path):
    """(samples [n] float32 in [-1, 1), sample rate), the channels averaged. WAV through the
    standard library; other formats through torchaudio.load (its backends decide which)."""
    try:
        with wave.open(path, "rb") as w:
            width, channels, rate, n = w.getsampwidth(), w.getnchannels(), w.getframerate(), w.getnframes()
            raw = w.readframes(n)
    except (wave.Error, EOFError):
        audio, rate = torchaudio.load(path)
        return audio.mean(0), rate
    if width == 1:
        x = (torch.frombuffer(bytearray(raw), dtype=torch.uint8).float() - 128) / 128
    elif width == 2:
        x = torch.frombuffer(bytearray(raw), dtype=torch.int16).float() / 32768
    elif width == 4:
        x = torch.frombuffer(bytearray(raw), dtype=torch.int32).float() / 2147483648
    else:
        b = torch.frombuffer(bytearray(raw), dtype=torch.uint8).reshape(-1, 3).int()
        x = ((b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)) << 8 >> 8).float() / 8388608
    return x.reshape(-1, channels).mean(1), rate


def fbank(samples, rate, front_end):
    """Log-mel features [frames, dim] of `samples` as sayre computes them for `front_end` (config.json's frontEnd)."""
    target = front_end.get("sampleRate", 16000)
    if rate != target:
        samples = torchaudio.functional.resample(samples, rate, target)
    options = front_end.get("fbank", {})
    if options.get("deltaOrder"):
        raise ValueError("frontEnd.fbank.deltaOrder: deltas are not implemented in sayre_torch.features")
    kwargs = {_FBANK_NAMES[k]: v for k, v in options.items() if k in _FBANK_NAMES}
    kwargs.setdefault("num_mel_bins", 23)
    # Kaldi's samples are int16-valued; sayre's are in [-1, 1)
    return torchaudio.compliance.kaldi.fbank((samples * 32768).unsqueeze(0), sample_frequency=target, dither=0.0, **kwargs)


def sliding_cmvn(feats, window, norm_vars=False, variance_floor=1e-2, sound=None):
    """sayre's slidingCmvn (src/audio/sliding-cmvn.ts): frame t less the mean of the last
    `window` frames of sound up to t (and divided by their standard deviation, floored), in
    float64. `sound` [frames] bool marks the frames that enter the statistics (all of them
    by default; skipSilence leaves out digital silence); a frame before any sound is zeros."""
    x = feats.double()
    if sound is None:
        sound = torch.ones(x.shape[0], dtype=torch.bool)
    s = x[sound]
    zero = torch.zeros(1, x.shape[1], dtype=torch.float64)
    sums, squares = torch.cat([zero, s.cumsum(0)]), torch.cat([zero, (s * s).cumsum(0)])
    end = sound.long().cumsum(0)
    start = (end - window).clamp_min(0)
    n = (end - start).clamp_min(1).unsqueeze(1).double()
    mean = (sums[end] - sums[start]) / n
    out = x - mean
    if norm_vars:
        out = out / ((squares[end] - squares[start]) / n - mean * mean).clamp_min(variance_floor).sqrt()
    out[end == 0] = 0
    return out.to(feats.dtype)


def silent_frame(front_end):
    """The filterbank frame of all-zero samples for `front_end` (what digital silence looks like)."""
    rate = front_end.get("sampleRate", 16000)
    return fbank(torch.zeros(rate // 10), rate, front_end)[0]


def utterance_cmvn(feats, norm_vars=False, variance_floor=1e-2):
    """sayre's utteranceCmvn (src/audio/utterance-cmvn.ts): each column less its mean over the
    utterance (and divided by its standard deviation, floored), in float64."""
    x = feats.double()
    mean = x.mean(0)
    out = x - mean
    if norm_vars:
        out = out / ((x * x).mean(0) - mean * mean).clamp_min(variance_floor).sqrt()
    return out.to(feats.dtype)


def normalise(feats, front_end):
    """`feats` [frames, dim] normalised as config.json's frontEnd says (slidingCmvn or utteranceCmvn), before the global CMVN."""
    sliding, utterance = front_end.get("slidingCmvn"), front_end.get("utteranceCmvn")
    if sliding is not None and utterance is not None:
        raise ValueError('frontEnd: "slidingCmvn" and "utteranceCmvn" exclude each other (choose one normalisation)')
    if sliding is not None:
        sound = None
        if sliding.get("skipSilence", False):  # frames within 1e-4 of the frame of zeros stay out of the window
            sound = ((feats - silent_frame(front_end)).abs() > 1e-4).any(1)
        return sliding_cmvn(feats, sliding["window"], sliding.get("normVars", False), sliding.get("varianceFloor", 1e-2), sound)
    if utterance is not None and feats.shape[0] > 0:
        return utterance_cmvn(feats, utterance.get("normVars", False), utterance.get("varianceFloor", 1e-2))
    return feats


def features(samples, rate, front_end):
    """The features [frames, dim] sayre computes for `front_end` before the global CMVN (computeFeatures without cmvn)."""
    return normalise(fbank(samples, rate, front_end), front_end)


def apply_cmvn(features, cmvn):
    """(features - mean) * invStd with config.json's cmvn statistics."""
    mean = torch.tensor(cmvn["mean"], dtype=features.dtype)
    out = features - mean
    if cmvn.get("invStd") is not None:
        out = out * torch.tensor(cmvn["invStd"], dtype=features.dtype)
    return out


def fit_cmvn(feature_list, variance_floor=1e-10):
    """CMVN statistics (config.json's form) over a list of [frames, dim] tensors, as sayre's CmvnAccumulator."""
    total = torch.cat([f.double() for f in feature_list], 0)
    mean = total.mean(0)
    var = (total * total).mean(0) - mean * mean
    inv_std = 1 / var.clamp_min(variance_floor).sqrt()
    return {"type": "cmvn", "dim": total.shape[1], "frames": total.shape[0], "mean": mean.tolist(), "invStd": inv_std.tolist()}
