// Unit tests (no browser) of the chat page's pure modules: timings, the shape of an answer
// (paragraphs and lists), the quoted sentences' ranges and the card preview's start, and
// the page's own links.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import { importWebModule } from './web_module.mjs';

const { formatMs } = await importWebModule('format.js');
const { answerBlocks, answerPlainText, answerSentences } = await importWebModule('answer_structure.js');
const { previewStart, quoteRanges } = await importWebModule('highlight.js');
const { parseLink, passageLink, questionLink } = await importWebModule('links.js');

// The UTF-8 byte range of `part` in `text`, as the server reports quotes.
function byteRange(text, part) {
  const index = text.indexOf(part);
  assert.ok(index >= 0, `"${part}" not in test text`);
  const begin = Buffer.byteLength(text.slice(0, index), 'utf8');
  return [begin, begin + Buffer.byteLength(part, 'utf8')];
}

describe('formatMs', () => {
  const cases = [
    [0.04, '0.0 ms'], [0.6, '0.6 ms'], [0.65, '0.7 ms'], [1.45, '1.5 ms'], [3, '3.0 ms'], [9.94, '9.9 ms'],
    [9.96, '10 ms'], [10, '10 ms'], [42.4, '42 ms'], [1234.5, '1235 ms'],
    [-1, ''], [Number.NaN, ''], [undefined, ''], ['3', ''],
  ];
  for (const [ms, want] of cases) {
    it(`${ms} -> "${want}"`, () => assert.equal(formatMs(ms), want));
  }
});

// A sentence of an answer as answer_structure.js gives it.
const S = (text, markers, tail = '') => ({ text, markers, tail });

describe('answerSentences', () => {
  const cases = [
    { answer: 'One thing [1]. Two [1] [2] Three [3]',
      want: [S('One thing', [1], '.'), S('Two', [1, 2]), S('Three', [3])] },
    { answer: 'First. [1] Second! [2]', want: [S('First.', [1]), S('Second!', [2])] },
    { answer: 'No markers at all.', want: [S('No markers at all.', [])] },
    { answer: 'Trailing text [1] after', want: [S('Trailing text', [1]), S('after', [])] },
    { answer: '', want: [] },
  ];
  for (const c of cases) {
    it(JSON.stringify(c.answer), () => assert.deepEqual(answerSentences(c.answer), c.want));
  }
});

// A passage with a list, as the seed articles have them (curly apostrophe: multi-byte).
const kListPassage = 'Skills Required by Product Owners\n' +
    'Product Owners must possess specific skills, including:\n' +
    '- User-Centric Focus: A strong emphasis on the customer’s voice.\n' +
    '- Backlog Management: Proficiency in maintaining a prioritized backlog.\n' +
    '- Stakeholder Communication: Strong communication skills.\n' +
    'Each skill matters.';
const kItems = ['User-Centric Focus: A strong emphasis on the customer’s voice',
                'Backlog Management: Proficiency in maintaining a prioritized backlog',
                'Stakeholder Communication: Strong communication skills'];
const listCitation = (quotes) => ({ n: 1, cited: true, passage: kListPassage,
                                    quotes: quotes.map((q) => byteRange(kListPassage, q)) });

describe('answerBlocks', () => {
  const cases = [
    {
      name: 'prose stays one paragraph',
      answer: 'Owners decide [1]. Managers plan [2].',
      citations: [{ n: 1, passage: 'Owners decide.', quotes: [[0, 14]] }],
      want: [{ kind: 'p', sentences: [S('Owners decide', [1], '.'), S('Managers plan', [2], '.')] }],
    },
    {
      name: 'list items of a passage said one after another become a list',
      answer: `${kItems[0]}. [1] ${kItems[1]}. [1]`,
      citations: [listCitation([kItems[0], kItems[1]])],
      want: [{ kind: 'ul', items: [S(`${kItems[0]}.`, [1]),
                                   S(`${kItems[1]}.`, [1])] }],
    },
    {
      name: 'a lead-in sentence, then its items',
      answer: `Product Owners must possess specific skills, including: [1] ${kItems[0]}. [1] ` +
              `${kItems[2]}. [1] Each skill matters. [1]`,
      citations: [listCitation(['Product Owners must possess specific skills, including:',
                                kItems[0], kItems[2], 'Each skill matters.'])],
      want: [
        { kind: 'p', sentences: [S('Product Owners must possess specific skills, including:', [1])] },
        { kind: 'ul', items: [S(`${kItems[0]}.`, [1]), S(`${kItems[2]}.`, [1])] },
        { kind: 'p', sentences: [S('Each skill matters.', [1])] },
      ],
    },
    {
      name: 'one list item alone stays a sentence',
      answer: `${kItems[1]}. [1] Something else [2].`,
      citations: [listCitation([kItems[1]]), { n: 2, passage: 'Something else.', quotes: [[0, 14]] }],
      want: [{ kind: 'p', sentences: [S(`${kItems[1]}.`, [1]),
                                      S('Something else', [2], '.')] }],
    },
    {
      name: 'sentences that are not quoted list items stay prose',
      answer: `${kItems[0]}. [1] ${kItems[1]}. [1]`,
      citations: [{ n: 1, passage: `${kItems[0]}. ${kItems[1]}.`,
                    quotes: [byteRange(`${kItems[0]}. ${kItems[1]}.`, kItems[0])] }],
      want: [{ kind: 'p', sentences: [S(`${kItems[0]}.`, [1]),
                                      S(`${kItems[1]}.`, [1])] }],
    },
    {
      name: 'a last item shortened with an ellipsis is still an item',
      answer: `${kItems[0]}. [1] Backlog Management: Proficiency in… [1]`,
      citations: [listCitation([kItems[0], kItems[1]])],
      want: [{ kind: 'ul', items: [S(`${kItems[0]}.`, [1]),
                                   S('Backlog Management: Proficiency in…', [1])] }],
    },
    {
      name: 'a lead-in with "- " lines and one marker after the list',
      answer: 'Skills, including:\n- Market Analysis\n- Strategic Thinking [1]\nNext sentence [2].',
      citations: [],
      want: [
        { kind: 'p', sentences: [S('Skills, including:', [])] },
        { kind: 'ul', items: [S('Market Analysis', []),
                              S('Strategic Thinking', [1])] },
        { kind: 'p', sentences: [S('Next sentence', [2], '.')] },
      ],
    },
  ];
  for (const c of cases) {
    it(c.name, () => assert.deepEqual(answerBlocks(c.answer, c.citations), c.want));
  }

  it('writes plain text with list items on lines of their own', () => {
    const blocks = answerBlocks('Skills:\n- A\n- B [1]\nThen this [2].', []);
    assert.equal(answerPlainText(blocks), 'Skills:\n- A\n- B [1]\nThen this [2].');
  });
});

describe('quoteRanges and previewStart', () => {
  it('converts the quoted byte ranges after multi-byte characters', () => {
    const ranges = quoteRanges(kListPassage, [byteRange(kListPassage, kItems[1]),
                                              byteRange(kListPassage, kItems[0])]);
    assert.deepEqual(ranges.map(([b, e]) => kListPassage.slice(b, e)), [kItems[0], kItems[1]]);
    assert.deepEqual(quoteRanges('abc', undefined), []);
    assert.deepEqual(quoteRanges('abcdef', [[0, 2], [1, 4], [5, 5], ['x']]), [[0, 4]]);
  });

  const prose = 'Intro words here. ' + 'filler '.repeat(20) + 'The quoted sentence is here. Tail.';
  const cases = [
    { name: 'a quote near the start: from the start', text: 'Short intro. The quote.', quote: 'The quote.', want: 0 },
    { name: 'a quote far in: a word start at most 70 characters before', text: prose,
      quote: 'The quoted sentence', check: (s) => prose.indexOf('The quoted') - s <= 70 && /\s/.test(prose[s - 1]) },
    { name: 'a list item: the line before it', text: kListPassage, quote: kItems[2],
      want: kListPassage.indexOf('- Backlog') },
    { name: 'a line far above: a word start instead', text: `Head\n${'word '.repeat(40)}The quote.`,
      quote: 'The quote.', want: 'Head\n'.length + 5 * 26 },
    { name: 'the quote starts its line: the line before', text: `${'x '.repeat(40)}\nFirst line.\nThe quote.`,
      quote: 'The quote.', want: 'x '.repeat(40).length + 1 },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const begin = c.text.indexOf(c.quote);
      const start = previewStart(c.text, begin);
      if (c.check) assert.ok(c.check(start), `start ${start}: "${c.text.slice(start, begin)}"`);
      else assert.equal(start, c.want, `"${c.text.slice(start, begin)}"`);
      assert.ok(start <= begin);
    });
  }
  it('never starts inside a highlighted word', () => {
    const begin = prose.indexOf('The quoted');
    const natural = previewStart(prose, begin);
    assert.equal(previewStart(prose, begin, [[natural - 8, natural + 6]]), natural - 8);
  });
});

describe('links', () => {
  const cases = [
    { hash: '#passage-42', want: { kind: 'passage', passageId: 42 } },
    { hash: '#passage-x', want: null },
    { hash: '', want: null },
    { hash: '#q=', want: null },
    { hash: '#q=What%20is%20it%3F', want: { kind: 'question', question: 'What is it?', history: [] } },
    { hash: '#q=How+much%3F&h=Who+owns+it%3F&h=%20', want: { kind: 'question', question: 'How much?', history: ['Who owns it?'] } },
    { hash: '#turn-1-source-2', want: null },
  ];
  for (const c of cases) {
    it(`parses ${JSON.stringify(c.hash)}`, () => assert.deepEqual(parseLink(c.hash), c.want));
  }
  it('makes links the page parses back', () => {
    const href = 'https://qa.example.com/team/?x=1#passage-3';
    const link = questionLink(href, 'Who earns more & why?', ['What does a product owner do?']);
    assert.ok(link.startsWith('https://qa.example.com/team/#q='), link);
    assert.deepEqual(parseLink(new URL(link).hash), {
      kind: 'question', question: 'Who earns more & why?', history: ['What does a product owner do?'],
    });
    assert.equal(passageLink(href, 12), 'https://qa.example.com/team/#passage-12');
  });
});
