/**
 * The optional fallback for image formats sayre does not decode itself (WebP, GIF, BMP,
 * TIFF, ...), as for audio: ffmpeg, when it is on PATH, converts the first frame to an RGBA
 * PNG, which decodeImage then reads. Node only.
 */
import { spawnSync } from 'node:child_process';
import { limits } from '../util/limits.js';
import { ffmpegInput } from '../util/ffmpeg-input.js';

/**
 * The first frame of an image file's `bytes` as PNG bytes, through ffmpeg (reading `path`
 * itself when it is a regular file). `source` names the image and `what` its format for
 * errors ("a WebP image", "not PNG or JPEG").
 * @throws Error naming the image when ffmpeg is not on PATH or cannot decode it.
 */
export function ffmpegImageToPng(bytes: Uint8Array, source: string, what: string, path?: string): Uint8Array {
  // An RGBA PNG is at most its raw pixels plus a little: more than that is past the pixel limit anyway.
  const maxBuffer = 4 * limits().maxImagePixels + (1 << 20);
  const input = ffmpegInput(bytes, path);
  let r;
  try {
    r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-i', input.path, '-frames:v', '1', '-f', 'image2pipe', '-c:v', 'png', '-pix_fmt', 'rgba', 'pipe:1'], { maxBuffer });
  } finally {
    input.done();
  }
  const err = r.error as NodeJS.ErrnoException | undefined;
  if (err?.code === 'ENOENT') {
    throw new Error(`${source}: ${what}; sayre reads PNG and JPEG itself and other formats through ffmpeg, which is not on PATH (install ffmpeg, or convert the image to PNG)`);
  }
  if (err) throw new Error(`${source}: ${what}, and ffmpeg failed on it: ${err.message}`);
  if (r.status !== 0 || r.stdout.length === 0) {
    const why = input.complaint(r.stderr.toString(), source);
    throw new Error(`${source}: ${what}, and ffmpeg cannot decode it either${why ? `: ${why}` : ''}`);
  }
  return r.stdout;
}
