/**
 * The counts of an edit-distance alignment, or their totals over many: what metrics computes
 * and what reports (eval JSON, model cards) carry. Declared on the lowest floor so both use
 * one type.
 */
export interface EditCounts {
  hits: number;
  substitutions: number;
  deletions: number;
  insertions: number;
  /** substitutions + deletions + insertions: the edit distance. */
  errors: number;
  /** Reference length: hits + substitutions + deletions. */
  refLength: number;
  /** Hypothesis length: hits + substitutions + insertions. */
  hypLength: number;
}
