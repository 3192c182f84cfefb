/**
 * How a recogniser decodes, for reports and model cards: the search, the LM and its
 * weights, in fields and in words.
 */
import type { Decoder } from '../decode/decoder.js';
import { DEFAULT_WORD_LM_ALPHA } from '../decode/prefix-beam-search.js';
import type { DecodingInfo } from '../report/eval-report.js';

/**
 * `decoder` (undefined: best path) described. `lmFile` names the LM it scores with, if
 * known; `transducer` says the model is an RNN-T (greedy and beam search, not CTC's best
 * path and prefix beam search).
 */
export function decodingInfo(decoder: Decoder | undefined, o: { lmFile?: string | undefined; transducer?: boolean } = {}): DecodingInfo {
  if (!decoder || decoder.search === 'greedy') return { search: 'greedy', text: `${o.transducer ? 'greedy' : 'best path'}, no LM` };
  const c = decoder.config;
  const search = `${o.transducer ? 'beam search' : 'prefix beam search'}, ${c.beamWidth === undefined ? 'default width' : `width ${c.beamWidth}`}`;
  const width = c.beamWidth !== undefined ? { beamWidth: c.beamWidth } : {};
  if (!c.lm) return { search: 'beam', ...width, text: `${search}, no LM` };
  const lmUnit = c.ctc?.lmUnit === 'char' ? 'char' : 'word';
  const alpha = c.alpha ?? 0.5, beta = c.beta ?? 1;
  const file = o.lmFile !== undefined ? ` (${o.lmFile})` : '';
  const labelBonus = c.ctc?.labelBonus ?? 0;
  const w = c.ctc?.wordLm;
  const wordAlpha = c.ctc?.wordLmAlpha ?? DEFAULT_WORD_LM_ALPHA;
  const side = w ? { wordLmOrder: w.order, wordLmAlpha: wordAlpha, ...(c.ctc?.unkScore !== undefined ? { unkScore: c.ctc.unkScore } : {}) } : {};
  const sideText = w ? `, with a word ${w.order}-gram LM${c.ctc?.wordLmFolded ? ' (case-folded)' : ''}, weight ${wordAlpha}${c.ctc?.unkScore !== undefined ? `, unknown word ${c.ctc.unkScore}` : ''}` : '';
  return {
    search: 'beam', ...(o.lmFile !== undefined ? { lm: o.lmFile } : {}), lmUnit, lmOrder: c.lm.order, alpha, beta,
    ...(labelBonus !== 0 ? { labelBonus } : {}), ...side, ...width,
    text: `${search}, ${lmUnit === 'char' ? 'character' : 'word'} ${c.lm.order}-gram LM${file}, alpha ${alpha}, beta ${beta}${labelBonus !== 0 ? `, label bonus ${labelBonus}` : ''}${sideText}`,
  };
}
