/** The first `frames` samples of `channels`, averaged into one channel (a copy). */
export function mixToMono(channels: readonly Float32Array[], frames: number): Float32Array {
  const out = new Float32Array(frames);
  if (channels.length === 0) return out;
  if (channels.length === 1) {
    out.set(channels[0]!.subarray(0, frames));
    return out;
  }
  for (const c of channels) for (let i = 0; i < frames; i++) out[i]! += c[i]!;
  const k = 1 / channels.length;
  for (let i = 0; i < frames; i++) out[i]! *= k;
  return out;
}
