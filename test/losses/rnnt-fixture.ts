import { loadFixture, repoFixtures, type FixtureSet } from '../helpers/fixtures.js';

/** A torchaudio rnnt_loss fixture (test/fixtures/rnnt/NAME.json, made by scripts/make_fixtures.py). */
export interface RnntFixture {
  name: string;
  blank: number;
  logits: number[];
  logits_shape: [number, number, number, number];
  targets: number[][];
  logit_lengths: number[];
  target_lengths: number[];
  loss_none: number[];
  loss_sum: number;
  loss_mean: number;
  grad_sum: number[];
  grad_mean: number[];
}

export const rnntFixtureNames = ['tiny', 'batch_varlen', 'blank_last', 'larger', 'peaky'];

export function loadRnntFixture(name: string, set: FixtureSet = repoFixtures): RnntFixture {
  return loadFixture<RnntFixture>(`rnnt/${name}.json`, set);
}
