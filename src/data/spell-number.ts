/** English words for numbers, as a text normaliser needs them ("42" -> "forty two"). */

const ONES = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve',
  'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const SCALES = ['', 'thousand', 'million', 'billion', 'trillion', 'quadrillion'];

/** Words for 0 <= n < 1000 ("" for 0 unless `zero`). */
function belowThousand(n: number): string[] {
  const words: string[] = [];
  if (n >= 100) {
    words.push(ONES[Math.floor(n / 100)]!, 'hundred');
    n %= 100;
  }
  if (n >= 20) {
    words.push(TENS[Math.floor(n / 10)]!);
    if (n % 10) words.push(ONES[n % 10]!);
  } else if (n > 0) {
    words.push(ONES[n]!);
  }
  return words;
}

/** Each digit as a word: "007" -> "zero zero seven". */
export function spellDigits(digits: string): string {
  return Array.from(digits, (d) => ONES[Number(d)]!).join(' ');
}

/**
 * A cardinal number from its decimal digits: "42" -> "forty two", "1000000" -> "one
 * million". Numbers of more than 18 digits, and numbers with leading zeros ("007"), are
 * read digit by digit.
 */
export function spellCardinal(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error(`spellCardinal: not a digit string: ${JSON.stringify(digits)}`);
  if (digits.length > 18 || (digits.length > 1 && digits[0] === '0')) return spellDigits(digits);
  if (/^0+$/.test(digits)) return 'zero';
  const groups: number[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(Number(digits.slice(Math.max(0, end - 3), end)));
  const words: string[] = [];
  groups.forEach((g, i) => {
    if (g === 0) return;
    words.push(...belowThousand(g));
    const scale = SCALES[groups.length - 1 - i]!;
    if (scale) words.push(scale);
  });
  return words.join(' ');
}

/** A four-digit year as people say it: "1984" -> "nineteen eighty four", "1900" -> "nineteen hundred", "1905" -> "nineteen oh five". */
export function spellYear(digits: string): string {
  const hi = Number(digits.slice(0, 2));
  const lo = Number(digits.slice(2));
  if (lo === 0) return `${spellCardinal(String(hi))} hundred`;
  return `${spellCardinal(String(hi))} ${lo < 10 ? `oh ${ONES[lo]}` : spellCardinal(String(lo))}`;
}

const ORDINAL_WORDS: Record<string, string> = {
  one: 'first', two: 'second', three: 'third', five: 'fifth', eight: 'eighth', nine: 'ninth', twelve: 'twelfth',
};

/** An ordinal from its digits: "21" -> "twenty first", "100" -> "one hundredth". */
export function spellOrdinal(digits: string): string {
  const words = spellCardinal(digits).split(' ');
  const last = words[words.length - 1]!;
  let ord = ORDINAL_WORDS[last];
  if (!ord) ord = last.endsWith('y') ? `${last.slice(0, -1)}ieth` : `${last}th`;
  words[words.length - 1] = ord;
  return words.join(' ');
}
