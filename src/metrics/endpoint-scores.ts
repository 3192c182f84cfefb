/**
 * What a detector's decisions do to endpointing (src/audio/endpoint.ts), scored against the
 * reference labels: the endpointer runs over the decisions as a stream would (reset after
 * each endpoint), and
 * - a pause is a run of reference non-speech after speech, long enough that rule 2 should
 *   end the utterance in it (its trailing silence plus 0.2 s, so that a detector's edge
 *   frames do not decide); it is found when an endpoint fires inside it;
 * - an endpoint cuts speech when the reference has speech within the trailing silence it
 *   claims (rule 2's length before it) short of the last 0.2 s (a detector that misses the
 *   faint last frames of a word ends the utterance a little early, which is no cut): the
 *   utterance was ended inside speech or at a pause too short for the rules.
 */
import { type EndpointConfig, Endpointer } from '../audio/endpoint.js';

/** How much early an endpoint may be without cutting speech (see the module comment). */
const EARLY_SECONDS = 0.2;

/** Endpoint counts of one or more examples. */
export interface EndpointCounts {
  /** Reference pauses long enough for an endpoint. */
  pauses: number;
  /** ... in which one fired. */
  found: number;
  /** Endpoints in all. */
  endpoints: number;
  /** Endpoints with reference speech inside their trailing silence. */
  cuts: number;
}

export function zeroEndpointCounts(): EndpointCounts {
  return { pauses: 0, found: 0, endpoints: 0, cuts: 0 };
}

/** Adds the endpoints of one example's decisions (frames of `frameSeconds`) to `into`. */
export function countEndpoints(decisions: ArrayLike<boolean>, labels: ArrayLike<number>, frameSeconds: number, config: EndpointConfig = {}, into: EndpointCounts = zeroEndpointCounts()): EndpointCounts {
  if (decisions.length !== labels.length) throw new Error(`endpoint scores: ${decisions.length} decisions for ${labels.length} labelled frames`);
  const ep = new Endpointer(frameSeconds, config);
  const silence = Math.round(ep.rules[1]!.minTrailingSilence / frameSeconds);
  const early = Math.round(EARLY_SECONDS / frameSeconds);
  const fired = new Uint8Array(labels.length);
  for (let f = 0; f < labels.length; f++) {
    ep.accept([decisions[f]!]);
    if (!ep.isEndpoint()) continue;
    fired[f] = 1;
    into.endpoints++;
    for (let g = Math.max(0, f - silence + 1 + early); g <= f; g++) {
      if (labels[g]) { into.cuts++; break; }
    }
    ep.reset();
  }
  const long = silence + Math.round(0.2 / frameSeconds);
  let seenSpeech = false;
  for (let f = 0; f < labels.length;) {
    if (labels[f]) { seenSpeech = true; f++; continue; }
    let end = f;
    while (end < labels.length && !labels[end]) end++;
    if (seenSpeech && end - f >= long) {
      into.pauses++;
      if (fired.subarray(f, end).includes(1)) into.found++;
    }
    f = end;
  }
  return into;
}
