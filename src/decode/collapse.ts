/** CTC's many-to-one map from frame paths to labellings. */

/**
 * Collapses a frame path to its labelling: merge runs of the same label, then drop blanks
 * (so `h h h e y` -> `h e y`, and `m m - e e - e e - t` -> `m e e t`).
 */
export function collapse(path: ArrayLike<number>, blank = 0): number[] {
  return collapseWithStarts(path, blank).tokens;
}

/** collapse, also giving the index in `path` where each kept token's run starts. */
export function collapseWithStarts(path: ArrayLike<number>, blank = 0): { tokens: number[]; starts: number[] } {
  const tokens: number[] = [];
  const starts: number[] = [];
  let prev = -1;
  for (let t = 0; t < path.length; t++) {
    const c = path[t]!;
    if (c !== prev && c !== blank) {
      tokens.push(c);
      starts.push(t);
    }
    prev = c;
  }
  return { tokens, starts };
}
