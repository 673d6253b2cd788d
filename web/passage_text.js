// Puts a passage's text into the page with its marks: the sentences the answer quotes in
// <mark class="quote">, the question's words in <mark class="hl"> (inside a quote when they
// fall in one), and optionally the text before a preview start in a <span
// class="passage-lead"> that a collapsed card hides. Text goes in as text nodes only.

import { el } from './dom.js';

// Appends `text` to `parent`. quotes, highlights: sorted, disjoint [begin, end) UTF-16
// ranges of `text`. previewFrom: UTF-16 index where a collapsed preview starts (0: none).
export function appendPassage(parent, text, { quotes = [], highlights = [], previewFrom = 0 } = {}) {
  const cuts = new Set([0, text.length, previewFrom]);
  for (const [b, e] of [...quotes, ...highlights]) {
    cuts.add(b);
    cuts.add(e);
  }
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const inRange = (ranges, a) => ranges.findIndex(([b, e]) => b <= a && a < e);

  const lead = previewFrom > 0 ? el('span', 'passage-lead') : null;
  if (lead) parent.append(lead);
  let quoteMark = null;  // the open <mark class="quote"> and the quote it belongs to
  let quoteIndex = -1;
  let quoteParent = null;
  for (let i = 0; i + 1 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    if (a >= b) continue;
    const box = lead && b <= previewFrom ? lead : parent;
    const q = inRange(quotes, a);
    let target = box;
    if (q >= 0) {
      if (!quoteMark || quoteIndex !== q || quoteParent !== box) {
        quoteMark = el('mark', 'quote');
        quoteIndex = q;
        quoteParent = box;
        box.append(quoteMark);
      }
      target = quoteMark;
    } else {
      quoteMark = null;
      quoteIndex = -1;
    }
    const piece = text.slice(a, b);
    if (inRange(highlights, a) >= 0) target.append(el('mark', 'hl', piece));
    else target.append(document.createTextNode(piece));
  }
}
