/** State of an {@link EarlyStopping} tracker as a checkpoint stores it. */
export interface EarlyStoppingState {
  patience: number;
  mode: 'min' | 'max';
  minDelta: number;
  best: number | null;
  bestEpoch: number;
  epochs: number;
  badEpochs: number;
}

/**
 * Early stopping on a validation score: keeps a copy of the best weights, counts the
 * evaluations without improvement, and says to stop after `patience` of them in a row;
 * {@link EarlyStopping.restoreBest} puts the best weights back.
 */
export class EarlyStopping {
  readonly patience: number;
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  /** A copy of the best weights seen so far (undefined before the first update). */
  bestWeights: Float32Array | undefined;
  private s: Omit<EarlyStoppingState, 'patience' | 'mode' | 'minDelta'> = { best: null, bestEpoch: -1, epochs: 0, badEpochs: 0 };

  constructor(options: { patience: number; mode?: 'min' | 'max'; minDelta?: number }) {
    this.patience = options.patience;
    this.mode = options.mode ?? 'min';
    this.minDelta = options.minDelta ?? 0;
    if (!Number.isInteger(this.patience) || this.patience < 0) throw new Error(`EarlyStopping: patience must be an integer >= 0, got ${this.patience}`);
    if (this.mode !== 'min' && this.mode !== 'max') throw new Error(`EarlyStopping: mode must be "min" or "max", got ${String(this.mode)}`);
  }

  /** The best score so far (null before the first update). */
  get best(): number | null {
    return this.s.best;
  }

  /** Evaluation index (0-based) of the best score. */
  get bestEpoch(): number {
    return this.s.bestEpoch;
  }

  /** True once `patience` evaluations in a row brought no improvement. */
  get shouldStop(): boolean {
    return this.s.badEpochs > 0 && this.s.badEpochs >= this.patience;
  }

  /**
   * Records one validation score for the current `weights`; returns true when it is the
   * best so far (and then keeps a copy of the weights). NaN never counts as better.
   */
  update(score: number, weights: Float32Array): boolean {
    const best = this.s.best;
    const better = !Number.isNaN(score) && (best === null ||
      (this.mode === 'min' ? score < best - this.minDelta : score > best + this.minDelta));
    if (better) {
      this.s.best = score;
      this.s.bestEpoch = this.s.epochs;
      this.s.badEpochs = 0;
      if (!this.bestWeights || this.bestWeights.length !== weights.length) this.bestWeights = new Float32Array(weights.length);
      this.bestWeights.set(weights);
    } else {
      this.s.badEpochs++;
    }
    this.s.epochs++;
    return better;
  }

  /** Copies the best weights back into `weights`; throws when none were recorded. */
  restoreBest(weights: Float32Array): void {
    if (!this.bestWeights) throw new Error('EarlyStopping.restoreBest: no validation score recorded yet');
    weights.set(this.bestWeights);
  }

  state(): EarlyStoppingState {
    return { patience: this.patience, mode: this.mode, minDelta: this.minDelta, ...this.s };
  }

  /** A tracker continuing from {@link EarlyStopping.state} (and the best weights, when given). */
  static fromState(state: EarlyStoppingState, bestWeights?: Float32Array): EarlyStopping {
    const es = new EarlyStopping({ patience: state.patience, mode: state.mode, minDelta: state.minDelta });
    es.s = { best: state.best, bestEpoch: state.bestEpoch, epochs: state.epochs, badEpochs: state.badEpochs };
    es.bestWeights = bestWeights?.slice();
    return es;
  }
}
