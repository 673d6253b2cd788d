// Which parts of a passage to highlight: the server's UTF-8 byte ranges converted to
// JavaScript string indexes, or, when a response has none, the question's words.
// Pure functions (no DOM), so Node's test runner can check them directly.

const kStopwords = new Set((
  'a an and are as at be by can could did do does for from had has have how i if in into ' +
  'is it its me my of on or our should so than that the their them there these they this ' +
  'to was we were what when where which who whom whose why will with would you your about ' +
  'much many'
).split(' '));

const kWord = /[\p{L}\p{N}]+/gu;

// Returns {begin(b), end(b)} mapping a UTF-8 byte offset of `text` to a UTF-16 index.
// An offset inside a character rounds down for a range's begin and up for its end, and
// offsets outside [0, byte length] are clamped, so bad input never throws.
export function byteOffsetMapper(text) {
  const floor = [];
  const ceil = [];
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0);
    const bytes = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let k = 0; k < bytes; k++) {
      floor.push(index);
      ceil.push(k === 0 ? index : index + ch.length);
    }
    index += ch.length;
  }
  floor.push(index);
  ceil.push(index);
  const clamp = (b) => Math.min(Math.max(0, Math.trunc(Number(b)) || 0), floor.length - 1);
  return { begin: (b) => floor[clamp(b)], end: (b) => ceil[clamp(b)] };
}

// A crude stem so that "rivers" in a passage matches "river" in the question.
export function stem(word) {
  const w = word.toLowerCase();
  for (const suffix of ['ing', 'ers', 'es', 'ed', 'er', 's']) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) return w.slice(0, -suffix.length);
  }
  return w;
}

// UTF-16 ranges of the words of `text` that share a stem with a content word of `question`.
export function questionWordRanges(text, question) {
  const wanted = new Set();
  for (const m of String(question).matchAll(kWord)) {
    const w = m[0].toLowerCase();
    if (w.length >= 3 && !kStopwords.has(w)) wanted.add(stem(w));
  }
  const ranges = [];
  if (wanted.size === 0) return ranges;
  for (const m of text.matchAll(kWord)) {
    if (wanted.has(stem(m[0]))) ranges.push([m.index, m.index + m[0].length]);
  }
  return ranges;
}

// Returns sorted, non-overlapping [begin, end) UTF-16 ranges of `text` to highlight.
// `highlights` are the server's [begin, end) UTF-8 byte ranges; when it is not an array
// the question's words are matched instead. Ranges separated only by spaces are joined,
// so "rain forest" reads as one highlight.
export function highlightRanges(text, highlights, question) {
  let ranges;
  if (Array.isArray(highlights)) {
    const map = byteOffsetMapper(text);
    ranges = highlights
        .filter((h) => Array.isArray(h) && h.length >= 2)
        .map((h) => [map.begin(h[0]), map.end(h[1])]);
  } else {
    ranges = questionWordRanges(text, question || '');
  }
  ranges = ranges.filter(([b, e]) => e > b).sort((x, y) => x[0] - y[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && (r[0] <= last[1] || /^[ \t]+$/.test(text.slice(last[1], r[0])))) {
      last[1] = Math.max(last[1], r[1]);
    } else {
      merged.push([r[0], r[1]]);
    }
  }
  return merged;
}

// Sorted, disjoint UTF-16 ranges of `text` for the server's UTF-8 byte ranges `byteRanges`
// (the sentences an answer quotes); overlapping or touching ones are merged, malformed ones
// dropped. [] when `byteRanges` is not an array.
export function quoteRanges(text, byteRanges) {
  if (!Array.isArray(byteRanges)) return [];
  const map = byteOffsetMapper(text);
  const ranges = byteRanges
      .filter((r) => Array.isArray(r) && r.length >= 2)
      .map((r) => [map.begin(r[0]), map.end(r[1])])
      .filter(([b, e]) => e > b)
      .sort((x, y) => x[0] - y[0]);
  const merged = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

// Where a short preview of `text` starts so that `quoteBegin` (a UTF-16 index) shows with a
// little of the text before it: 0 when the quote starts within `lead` characters; else the
// start of the quote's line, or of the line before when the quote starts its line, if that is
// at most 1.5 × `lead` before it (a whole list item or short line reads better than a piece
// of one); failing that the first word start at most `lead` before it. Never inside a `highlights` range (UTF-16, sorted), so a
// highlighted word is not cut in two.
export function previewStart(text, quoteBegin, highlights = [], lead = 70) {
  if (quoteBegin - lead <= 0) return 0;
  let start = -1;
  const ownLine = text.lastIndexOf('\n', quoteBegin - 1) + 1;
  const previousLine = ownLine > 0 ? text.lastIndexOf('\n', ownLine - 2) + 1 : -1;
  if (quoteBegin - ownLine >= 20 && quoteBegin - ownLine <= lead * 1.5) {
    start = ownLine;
  } else if (quoteBegin - ownLine < 20 && previousLine >= 0 && quoteBegin - previousLine <= lead * 1.5) {
    start = previousLine;
  }
  if (start < 0) {
    start = quoteBegin;
    for (let i = quoteBegin - lead; i < quoteBegin; i++) {
      if (/\s/.test(text[i - 1]) && !/\s/.test(text[i])) {
        start = i;
        break;
      }
    }
  }
  for (const [b, e] of highlights) {
    if (b < start && start < e) start = b;
  }
  return start;
}
