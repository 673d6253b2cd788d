// A card of one passage under an answer: its number as in the answer (cited passages) or a
// muted icon (related ones), the article's title with the file name small beside it, and
// a preview that shows the quoted sentences marked, with a little of the text before them.
// "Show more" shows the whole passage; "View in article" opens the source viewer.

import { el, kIcons, prefersReducedMotion, svgIcon } from './dom.js';
import { highlightRanges, previewStart, quoteRanges } from './highlight.js';
import { appendPassage } from './passage_text.js';

export function sourceCardId(turn, n) {
  return `${turn.id}-source-${n}`;
}

export function citationTitle(c) {
  return String(c.title || c.doc || 'Untitled article');
}

// The card (an <li>) of citation `c` of `turn`. related: an uncited passage.
// handlers.onOpenSource(turn, citation, opener) opens the viewer.
export function renderSourceCard(turn, c, handlers, { related = false } = {}) {
  const card = el('li', related ? 'source-card related' : 'source-card');
  card.id = sourceCardId(turn, c.n);
  card.tabIndex = -1;
  const head = el('div', 'source-card-head');
  let badge;
  if (related) {
    badge = el('span', 'source-num source-num-related');
    badge.append(svgIcon(kIcons.book, 14));
  } else {
    badge = el('span', 'source-num', c.n);
    badge.setAttribute('aria-label', `Source ${c.n}`);
  }
  const titles = el('div', 'source-card-titles');
  titles.append(el('h3', 'source-card-title', citationTitle(c)));
  if (c.doc && c.title) titles.append(el('p', 'source-card-doc', c.doc));
  head.append(badge, titles);

  const passage = String(c.passage || '');
  const highlights = highlightRanges(passage, c.highlights, turn.question);
  const quotes = related ? [] : quoteRanges(passage, c.quotes);
  const previewFrom = quotes.length > 0 ? previewStart(passage, quotes[0][0], highlights) : 0;
  const text = el('p', previewFrom > 0 ? 'source-card-text starts-later' : 'source-card-text');
  appendPassage(text, passage, { quotes, highlights, previewFrom });

  const more = el('button', 'link-button expand-button', 'Show more');
  more.type = 'button';
  more.hidden = true;
  more.setAttribute('aria-expanded', 'false');
  more.addEventListener('click', () => {
    const expanded = card.classList.toggle('expanded');
    more.textContent = expanded ? 'Show less' : 'Show more';
    more.setAttribute('aria-expanded', String(expanded));
  });
  const open = el('button', 'link-button open-source');
  open.type = 'button';
  open.append(svgIcon(kIcons.book, 16), el('span', '', 'View in article'));
  open.setAttribute('aria-label', `View ${related ? 'related passage' : `source ${c.n}`} in its article: ${citationTitle(c)}`);
  open.addEventListener('click', () => handlers.onOpenSource(turn, c, open));
  const actions = el('div', 'source-card-actions');
  actions.append(more, open);

  card.append(head, text, actions);
  return card;
}

// Shows "Show more" only on cards with more to show: a preview that starts after the
// passage's beginning, or one the CSS line clamp cuts. Call it once the cards are in the
// document (and again when their width changes).
export function updateExpandButtons(root) {
  for (const card of root.querySelectorAll('.source-card:not(.expanded)')) {
    const text = card.querySelector('.source-card-text');
    const button = card.querySelector('.expand-button');
    if (!text || !button) continue;
    const clamped = text.scrollHeight > text.clientHeight + 2;
    button.hidden = !clamped && !text.classList.contains('starts-later');
  }
}

// Brings `card` into view (unfolding the related passages it may sit in), focuses it and
// flashes its outline.
export function showCard(card) {
  const details = card.closest('details');
  if (details) details.open = true;
  card.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  card.focus({ preventScroll: true });
  card.classList.remove('flash');
  void card.offsetWidth;  // restarts the CSS animation
  card.classList.add('flash');
}
