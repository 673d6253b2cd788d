// Unit test of web/highlight.js (no browser): the server's UTF-8 byte ranges must land on
// the same characters in JavaScript's UTF-16 strings, and the question-word fallback must
// mark whole content words only.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// web/ has no package.json saying its .js files are ES modules, so load the source as one.
const source = fs.readFileSync(
    path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'highlight.js'), 'utf8');
const { byteOffsetMapper, highlightRanges } =
    await import(`data:text/javascript;charset=utf-8,${encodeURIComponent(source)}`);

// Byte range of the `occurrence`-th `word` in `text`, as the server computes it.
function byteRange(text, word, occurrence = 0) {
  let index = -1;
  for (let i = 0; i <= occurrence; i++) index = text.indexOf(word, index + 1);
  assert.ok(index >= 0, `"${word}" not in test text`);
  const begin = Buffer.byteLength(text.slice(0, index), 'utf8');
  return [begin, begin + Buffer.byteLength(word, 'utf8')];
}

const marked = (text, ranges) => ranges.map(([b, e]) => text.slice(b, e));

describe('byteOffsetMapper', () => {
  const cases = [
    // text, byte offset, expected begin index, expected end index
    { text: 'abc', byte: 2, begin: 2, end: 2 },
    { text: 'a’b', byte: 1, begin: 1, end: 1 },  // ’ is 3 bytes, 1 UTF-16 unit
    { text: 'a’b', byte: 2, begin: 1, end: 2 },  // inside ’: begin rounds down, end up
    { text: 'a’b', byte: 4, begin: 2, end: 2 },
    { text: 'a’b', byte: 5, begin: 3, end: 3 },
    { text: 'é', byte: 1, begin: 0, end: 1 },    // 2 bytes
    { text: '😀x', byte: 4, begin: 2, end: 2 },  // 4 bytes, 2 UTF-16 units
    { text: '😀x', byte: 1, begin: 0, end: 2 },
    { text: 'abc', byte: -3, begin: 0, end: 0 }, // clamped
    { text: 'abc', byte: 99, begin: 3, end: 3 },
    { text: '', byte: 0, begin: 0, end: 0 },
  ];
  for (const c of cases) {
    it(`maps byte ${c.byte} of ${JSON.stringify(c.text)}`, () => {
      const map = byteOffsetMapper(c.text);
      assert.equal(map.begin(c.byte), c.begin, JSON.stringify(c));
      assert.equal(map.end(c.byte), c.end, JSON.stringify(c));
    });
  }
});

describe('highlightRanges', () => {
  const accented = 'Café owners’ résumés — naïve 😀 product owner.';
  const cases = [
    {
      name: 'server ranges after multi-byte characters',
      text: accented,
      highlights: [byteRange(accented, 'owners'), byteRange(accented, 'résumés'),
                   byteRange(accented, 'owner', 1)],
      want: ['owners', 'résumés', 'owner'],
    },
    {
      name: 'neighbouring words joined into one highlight',
      text: 'The product owner decides.',
      highlights: [[4, 11], [12, 17]],
      want: ['product owner'],
    },
    {
      name: 'words apart by punctuation stay apart',
      text: 'product, owner',
      highlights: [[0, 7], [9, 14]],
      want: ['product', 'owner'],
    },
    {
      name: 'unsorted and overlapping ranges',
      text: 'alpha beta gamma',
      highlights: [[11, 16], [0, 5], [2, 4]],
      want: ['alpha', 'gamma'],
    },
    {
      name: 'malformed ranges are ignored or clamped',
      text: 'abc, def',
      highlights: [[5, 1000], [5], 'x', [3, 3], [-2, 3]],
      want: ['abc', 'def'],
    },
    {
      name: 'an empty list highlights nothing',
      text: 'product owner',
      highlights: [],
      question: 'product owner',
      want: [],
    },
    {
      name: 'no list: the question words, stemmed, without stop words',
      text: 'What product owners do: they own the backlog.',
      highlights: undefined,
      question: 'What does a product owner do?',
      want: ['product owners'],
    },
    {
      name: 'no list and no content words',
      text: 'What is it?',
      highlights: undefined,
      question: 'what is it',
      want: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ranges = highlightRanges(c.text, c.highlights, c.question || '');
      assert.deepEqual(marked(c.text, ranges), c.want, c.name);
      for (let i = 1; i < ranges.length; i++) {
        assert.ok(ranges[i][0] > ranges[i - 1][1], `${c.name}: ranges overlap or touch`);
      }
    });
  }
});
