import { logAddExp } from '../../src/math/log-softmax.js';

/**
 * Plain CTC prefix beam search (no LM, no pruning but the beam), written the textbook way
 * with string-keyed maps: the reference for sayre's decoder with alpha = 0.
 */
export function referencePrefixBeam(logProbs: Float64Array, T: number, C: number, blank: number, beam: number): { labels: number[]; logProb: number }[] {
  type Entry = { labels: number[]; pb: number; pnb: number };
  let cur = new Map<string, Entry>([['', { labels: [], pb: 0, pnb: -Infinity }]]);
  for (let t = 0; t < T; t++) {
    const next = new Map<string, Entry>();
    const get = (labels: number[]): Entry => {
      const key = labels.join(',');
      let e = next.get(key);
      if (!e) next.set(key, (e = { labels, pb: -Infinity, pnb: -Infinity }));
      return e;
    };
    for (const e of cur.values()) {
      const total = logAddExp(e.pb, e.pnb);
      const self = get(e.labels);
      self.pb = logAddExp(self.pb, total + logProbs[t * C + blank]!);
      const last = e.labels.length > 0 ? e.labels[e.labels.length - 1]! : -1;
      if (last >= 0) self.pnb = logAddExp(self.pnb, e.pnb + logProbs[t * C + last]!);
      for (let c = 0; c < C; c++) {
        if (c === blank) continue;
        const ext = get([...e.labels, c]);
        ext.pnb = logAddExp(ext.pnb, (c === last ? e.pb : total) + logProbs[t * C + c]!);
      }
    }
    const kept = [...next.entries()].sort((a, b) => logAddExp(b[1].pb, b[1].pnb) - logAddExp(a[1].pb, a[1].pnb)).slice(0, beam);
    cur = new Map(kept);
  }
  return [...cur.values()]
    .map((e) => ({ labels: e.labels, logProb: logAddExp(e.pb, e.pnb) }))
    .sort((a, b) => b.logProb - a.logProb);
}
