/**
 * Dev and test sets cut from a corpus without splits of its own, by a hash of each
 * utterance's id: the same utterance lands in the same split on every import and on every
 * machine, whatever else the corpus holds.
 */

/** FNV-1a of `s` with murmur3's finaliser (ids differ in their last characters: mix those into the top bits), in [0, 1). */
function unitHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 2 ** 32;
}

/** 'dev', 'test' or 'train' for the utterance `id`, with the given shares of dev and test. */
export function splitOf(id: string, devShare: number, testShare: number): 'train' | 'dev' | 'test' {
  const u = unitHash(id);
  return u < devShare ? 'dev' : u < devShare + testShare ? 'test' : 'train';
}
