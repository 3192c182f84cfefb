/**
 * Lines made up from a seed, for what prose rarely holds: numbers in their many written
 * forms, dense punctuation, and strings of random letters (which no language model can
 * guess, so the image must be read).
 */
import type { Random } from '../../../math/random.js';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pick = <T>(rng: Random, xs: readonly T[]): T => xs[rng.int(xs.length)]!;
const digits = (rng: Random, n: number): string => Array.from({ length: n }, () => String(rng.int(10))).join('');
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** One number as people write them: dates, times, prices, phone numbers, decimals, ordinals, percentages, codes. */
export function numberPhrase(rng: Random): string {
  const day = 1 + rng.int(28), month = 1 + rng.int(12), year = 1800 + rng.int(230);
  switch (rng.int(12)) {
    case 0: return `${day} ${pick(rng, MONTHS)} ${year}`;
    case 1: return `${pick(rng, MONTHS)} ${day}, ${year}`;
    case 2: return `${pad2(day)}/${pad2(month)}/${year}`;
    case 3: return `${year}-${pad2(month)}-${pad2(day)}`;
    case 4: return `${rng.int(24)}:${pad2(rng.int(60))}`;
    case 5: return `$${rng.int(10000)}.${pad2(rng.int(100))}`;
    case 6: return `(${digits(rng, 3)}) ${digits(rng, 3)}-${digits(rng, 4)}`;
    case 7: return `${rng.int(1000)}.${digits(rng, 1 + rng.int(3))}`;
    case 8: {
      const n = 1 + rng.int(120);
      const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
      return `${n}${suffix}`;
    }
    case 9: return `${rng.int(101)}%`;
    case 10: return `#${digits(rng, 2 + rng.int(4))}`;
    default: return (rng.int(2) ? String(rng.int(100000)) : rng.int(1000000).toLocaleString('en-US'));
  }
}

/** A line of words with numbers among them (`words` supplies the words). */
export function numberLine(rng: Random, words: readonly string[]): string {
  const n = 3 + rng.int(5);
  return Array.from({ length: n }, () => (rng.uniform() < 0.45 ? numberPhrase(rng) : pick(rng, words))).join(' ');
}

/** A line of words with dense punctuation: quotes, brackets, dashes, slashes, symbols. */
export function punctuationLine(rng: Random, words: readonly string[]): string {
  const wrap: [string, string][] = [['"', '"'], ["'", "'"], ['(', ')'], ['[', ']'], ['{', '}'], ['<', '>'], ['*', '*'], ['_', '_']];
  const after = [',', '.', ';', ':', '!', '?', '...', '!?', ' -', ' --', ' /', ' &', ' +', ' =', ' |', ' ~', ' ^', ' @', ' #'];
  const n = 3 + rng.int(5);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let w = pick(rng, words);
    if (rng.uniform() < 0.3) {
      const [a, b] = pick(rng, wrap);
      w = `${a}${w}${b}`;
    }
    if (rng.uniform() < 0.5) w += pick(rng, after);
    out.push(w);
  }
  return out.join(' ');
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz', UPPER = LOWER.toUpperCase(), DIGITS = '0123456789';
const SYMBOLS = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** A line of 3-8 random strings of 1-9 characters, mostly letters (mixed case), some digits and symbols. */
export function randomStringLine(rng: Random): string {
  const n = 3 + rng.int(6);
  const word = (): string => {
    const len = 1 + rng.int(9);
    const upper = rng.uniform() < 0.2;
    let s = '';
    for (let i = 0; i < len; i++) {
      const u = rng.uniform();
      s += u < 0.75 ? (upper ? UPPER : LOWER)[rng.int(26)] : u < 0.85 ? UPPER[rng.int(26)] : u < 0.95 ? DIGITS[rng.int(10)] : SYMBOLS[rng.int(SYMBOLS.length)];
    }
    return s;
  };
  return Array.from({ length: n }, word).join(' ');
}

/** A line of 2-6 dictionary words or names, separated by spaces, commas or "and". */
export function wordListLine(rng: Random, words: readonly string[]): string {
  const n = 2 + rng.int(5);
  const items = Array.from({ length: n }, () => pick(rng, words));
  const sep = rng.uniform();
  if (sep < 0.4) return items.join(' ');
  if (sep < 0.8) return items.join(', ');
  return `${items.slice(0, -1).join(', ')} and ${items[n - 1]}`;
}
