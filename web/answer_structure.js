// The shape of an answer for display: its sentences with their [n] markers, grouped into
// paragraphs and lists. The composer writes a list two ways: a lead-in with "\n- " lines
// (one marker after the last item), or list items of a passage said one after another,
// each with its marker; a run of two or more of those is shown as a list too. Pure (no DOM).

import { byteOffsetMapper } from './highlight.js';

const kMarker = /\[(\d+)\]/;
const kListLine = /^\s*(?:[-*•]|\d{1,3}[.)])\s+/;
const kListPrefix = /^\s*(?:[-*•]|\d{1,3}[.)])\s+$/;  // a line's start up to its item text

// [{text, markers: [n, ...], tail}]: each run of text with the [n] markers that follow it,
// and the punctuation right after them ("Rivers flood [1]." has tail "."). The text is
// trimmed; a last run without markers has markers [].
export function answerSentences(answer) {
  const parts = String(answer).split(/(\[\d+\])/);
  const sentences = [];
  let current = { text: '', markers: [], tail: '' };
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 1) {
      current.markers.push(Number(kMarker.exec(parts[i])[1]));
      continue;
    }
    let part = parts[i];
    if (current.markers.length > 0) {
      const tail = /^[.!?;:,]+/.exec(part);
      if (tail) {
        current.tail += tail[0];
        part = part.slice(tail[0].length);
      }
    }
    if (!part.trim()) continue;
    if (current.markers.length > 0) {
      sentences.push(current);
      current = { text: '', markers: [], tail: '' };
    }
    current.text += part;
  }
  if (current.text.trim() || current.markers.length > 0) sentences.push(current);
  for (const s of sentences) s.text = s.text.trim();
  return sentences;
}

const normalise = (s) => s.replace(/\s+/g, ' ').trim().replace(/[\s.…]+$/u, '');

// True if `sentence` is the text of one of the quoted ranges of its cited passages that is a
// list item there (its line starts with "- ", "* ", "• " or "1.").
export function isQuotedListItem(sentence, citationsByN) {
  const said = normalise(sentence.text);
  if (!said) return false;
  const shortened = sentence.text.endsWith('…');
  for (const n of sentence.markers) {
    const c = citationsByN.get(n);
    if (!c || typeof c.passage !== 'string' || !Array.isArray(c.quotes)) continue;
    const map = byteOffsetMapper(c.passage);
    for (const q of c.quotes) {
      if (!Array.isArray(q) || q.length < 2) continue;
      const [b, e] = [map.begin(q[0]), map.end(q[1])];
      const lineStart = c.passage.lastIndexOf('\n', b - 1) + 1;
      if (!kListPrefix.test(c.passage.slice(lineStart, b))) continue;
      const quoted = normalise(c.passage.slice(b, e));
      if (quoted === said || (shortened && quoted.startsWith(said))) return true;
    }
  }
  return false;
}

// Blocks to show: [{kind: 'p', sentences: [...]}, {kind: 'ul', items: [...]}], where each
// sentence or item is {text, markers, tail} as answerSentences gives them. `citations` are the response's citations.
export function answerBlocks(answer, citations) {
  const byN = new Map((citations || []).filter(Boolean).map((c) => [Number(c.n), c]));
  const blocks = [];
  let paragraph = null;
  const say = (s) => {
    if (!paragraph) {
      paragraph = { kind: 'p', sentences: [] };
      blocks.push(paragraph);
    }
    paragraph.sentences.push(s);
  };
  const list = (items) => {
    blocks.push({ kind: 'ul', items });
    paragraph = null;
  };

  const sentences = answerSentences(answer);
  for (let i = 0; i < sentences.length; i++) {
    const s = sentences[i];
    const lines = s.text.split('\n').map((l) => l.trim()).filter(Boolean);
    const firstItem = lines.findIndex((l) => kListLine.test(l));
    if (firstItem >= 0 && lines.slice(firstItem).every((l) => kListLine.test(l))) {
      // A lead-in and its lines: the marker goes with the last item.
      paragraph = null;
      if (firstItem > 0) say({ text: lines.slice(0, firstItem).join(' '), markers: [], tail: '' });
      const items = lines.slice(firstItem).map((l) => ({ text: l.replace(kListLine, ''), markers: [], tail: '' }));
      items[items.length - 1].markers = s.markers;
      items[items.length - 1].tail = s.tail;
      list(items);
      continue;
    }
    let end = i;
    while (end < sentences.length && !sentences[end].text.includes('\n') &&
           isQuotedListItem(sentences[end], byN)) {
      end++;
    }
    if (end - i >= 2) {
      list(sentences.slice(i, end));
      i = end - 1;
      continue;
    }
    say({ text: lines.join(' '), markers: s.markers, tail: s.tail });
  }
  return blocks;
}

// The answer as plain text: paragraphs, list items on lines of their own ("- "), every
// sentence with its [n] markers.
export function answerPlainText(blocks) {
  const sentence = (s) => [s.text, ...s.markers.map((n) => `[${n}]`)].filter(Boolean).join(' ') +
                          s.tail;
  return blocks.map((b) => (b.kind === 'ul' ? b.items.map((it) => `- ${sentence(it)}`).join('\n')
                                            : b.sentences.map(sentence).join(' ')))
      .join('\n');
}
