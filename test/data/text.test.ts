import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseText } from '../../src/data/normalise-text.js';
import { spellCardinal, spellOrdinal, spellYear } from '../../src/data/spell-number.js';
import { CharTokenizer } from '../../src/data/char-tokenizer.js';

test('numbers are spelled out', () => {
  const cases: [string, string][] = [
    ['0', 'zero'], ['7', 'seven'], ['13', 'thirteen'], ['42', 'forty two'], ['100', 'one hundred'],
    ['105', 'one hundred five'], ['1000', 'one thousand'], ['2024', 'two thousand twenty four'],
    ['1000000', 'one million'], ['123456789', 'one hundred twenty three million four hundred fifty six thousand seven hundred eighty nine'],
    ['007', 'zero zero seven'], ['1000000000000000000000', 'one zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero zero'],
  ];
  for (const [d, w] of cases) assert.equal(spellCardinal(d), w, d);
  assert.equal(spellOrdinal('1'), 'first');
  assert.equal(spellOrdinal('22'), 'twenty second');
  assert.equal(spellOrdinal('40'), 'fortieth');
  assert.equal(spellOrdinal('112'), 'one hundred twelfth');
  assert.equal(spellYear('1984'), 'nineteen eighty four');
  assert.equal(spellYear('1900'), 'nineteen hundred');
  assert.equal(spellYear('1905'), 'nineteen oh five');
  assert.throws(() => spellCardinal('4a'), /not a digit string/);
});

test('the normaliser lowercases, spells digits, removes punctuation and reports what it cannot map', () => {
  const n = (s: string): string => normaliseText(s).text;
  assert.equal(n('42'), 'forty two');
  assert.equal(n('Hello, World!'), 'hello world');
  assert.equal(n("Don't  \"quote\" me, 'please'."), "don't quote me please");
  assert.equal(n('It cost $5 & 3.5% more on the 21st.'), 'it cost five dollars and three point five percent more on the twenty first');
  assert.equal(n('In 1984, 1,000 people came.'), 'in nineteen eighty four one thousand people came');
  assert.equal(n('a well-known fact--really'), 'a well known fact really');
  assert.equal(n('Café naïve RÉSUMÉ'), 'cafe naive resume');
  assert.equal(n('it’s the boys’ toys'), "it's the boys toys");
  assert.equal(n('4x4'), 'four x four');
  assert.deepEqual(normaliseText('a < b © c <').unmappable, ['<', '©']);
  assert.equal(normaliseText('a < b © c').text, 'a b c');
  assert.deepEqual(normaliseText('日本 ok').unmappable, ['日', '本']);
  assert.deepEqual(normaliseText('plain text').unmappable, []);
  assert.equal(n('   '), '');
  assert.equal(normaliseText('1984', { years: false }).text, 'one thousand nine hundred eighty four');
});

test('the character tokenizer: blank 0, space, apostrophe, a-z; round trip; clear errors', () => {
  const tok = new CharTokenizer();
  assert.equal(tok.size, 29);
  assert.equal(tok.blank, 0);
  assert.deepEqual(Array.from(tok.encode("a b'z")), [3, 1, 4, 2, 28]);
  assert.equal(tok.decode(tok.encode("don't stop")), "don't stop");
  assert.equal(tok.decode([0, 3, 0, 0, 4]), 'ab');
  assert.equal(tok.token(0), '<blank>');
  assert.equal(tok.token(1), ' ');
  assert.throws(() => tok.encode('Hi'), /character "H" \(U\+0048\) at position 0 of "Hi" is not in the alphabet/);
  assert.throws(() => tok.decode([30]), /id 30 at position 0 is outside 0\.\.28/);
  assert.deepEqual(CharTokenizer.fromJSON(JSON.parse(JSON.stringify(tok))).alphabet, tok.alphabet);
  assert.throws(() => new CharTokenizer('aa'), /appears twice/);
  // Everything the normaliser emits, the tokenizer accepts.
  const text = normaliseText('The 3 quick brown foxes’ den — jumped 100% over the lazy dog!').text;
  assert.equal(tok.decode(tok.encode(text)), text);
});
