// Renders one turn of the conversation: the question, then its answer with [n] markers
// linked to cards of the cited passages, or the "not found", loading or error state.
// A turn is {id, question, status: 'pending' | 'done' | 'error', response?, error?}.

import { loadDocumentTitles } from './api.js';
import { appendHighlighted, el, kIcons, svgIcon } from './dom.js';
import { highlightRanges } from './highlight.js';

const kErrorTitles = {
  network: 'Can’t reach the server',
  timeout: 'The server is taking too long',
  server: 'The server ran into a problem',
  client: 'The question could not be answered',
  format: 'Unexpected answer from the server',
};

export function sourceCardId(turn, n) {
  return `${turn.id}-source-${n}`;
}

export function citationTitle(c) {
  return String(c.title || c.doc || 'Untitled article');
}

export function isNotFound(response) {
  return response.found === false || response.citations.length === 0;
}

// The short title of an error state, also used for the screen-reader announcement.
export function errorTitle(error) {
  return kErrorTitles[error && error.kind] || 'Something went wrong';
}

const plural = (n, one, many) => `${n} ${n === 1 ? one : many}`;

function formatMs(ms) {
  if (ms < 1) return `${ms.toFixed(1)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

function renderAnswerText(turn, answer, citationsByN) {
  const p = el('p', 'answer-text');
  const parts = answer.split(/\[(\d+)\]/);
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) {
      if (parts[i]) p.append(document.createTextNode(parts[i]));
      continue;
    }
    const c = citationsByN.get(Number(parts[i]));
    if (!c) {
      p.append(document.createTextNode(`[${parts[i]}]`));
      continue;
    }
    // The brackets stay in the text (copy and paste keeps "[1]") but are hidden visually.
    const a = el('a', 'cite-ref');
    a.href = `#${sourceCardId(turn, c.n)}`;
    a.dataset.target = sourceCardId(turn, c.n);
    a.title = citationTitle(c);
    a.setAttribute('aria-label', `Source ${c.n}: ${citationTitle(c)}`);
    a.append(el('span', 'cite-bracket', '['), document.createTextNode(parts[i]),
             el('span', 'cite-bracket', ']'));
    p.append(a);
  }
  return p;
}

function renderSourceCard(turn, c, handlers) {
  const card = el('li', 'source-card');
  card.id = sourceCardId(turn, c.n);
  card.tabIndex = -1;
  const head = el('div', 'source-card-head');
  const titles = el('div', 'source-card-titles');
  titles.append(el('h3', 'source-card-title', citationTitle(c)));
  if (c.doc) titles.append(el('p', 'source-card-doc', c.doc));
  head.append(el('span', 'source-num', c.n), titles);

  const passage = String(c.passage || '');
  const text = el('p', 'source-card-text');
  appendHighlighted(text, passage, highlightRanges(passage, c.highlights, turn.question));

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
  open.setAttribute('aria-label', `View source ${c.n} in its article: ${citationTitle(c)}`);
  open.addEventListener('click', () => handlers.onOpenSource(turn, c, open));
  const actions = el('div', 'source-card-actions');
  actions.append(more, open);

  card.append(head, text, actions);
  return card;
}

// Shows "Show more" only on cards whose passage the CSS line clamp cuts. Call it once the
// cards are in the document (and again when their width changes).
export function updateExpandButtons(root) {
  for (const card of root.querySelectorAll('.source-card:not(.expanded)')) {
    const text = card.querySelector('.source-card-text');
    const button = card.querySelector('.expand-button');
    if (text && button) button.hidden = text.scrollHeight <= text.clientHeight + 2;
  }
}

function renderFound(turn, box, handlers) {
  const r = turn.response;
  const citations = r.citations.filter((c) => c && Number.isInteger(Number(c.n)));
  box.append(renderAnswerText(turn, r.answer, new Map(citations.map((c) => [Number(c.n), c]))));

  // Passages the answer cites come first; the other relevant ones wait behind a disclosure.
  const referenced = new Set([...r.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const cited = citations.filter((c) => referenced.has(Number(c.n)));
  const primary = cited.length > 0 ? cited : citations;
  const others = citations.filter((c) => !primary.includes(c));

  let meta = plural(primary.length, 'cited passage', 'cited passages');
  if (typeof r.took_ms === 'number') meta += ` · ${formatMs(r.took_ms)}`;
  box.append(el('p', 'answer-meta', meta));

  const list = el('ol', 'source-cards');
  list.setAttribute('aria-label', 'Cited passages');
  for (const c of primary) list.append(renderSourceCard(turn, c, handlers));
  box.append(list);
  if (others.length > 0) {
    const details = el('details', 'more-sources');
    details.append(el('summary', '', plural(others.length, 'more related passage', 'more related passages')));
    const more = el('ol', 'source-cards');
    for (const c of others) more.append(renderSourceCard(turn, c, handlers));
    details.append(more);
    details.addEventListener('toggle', () => updateExpandButtons(details));
    box.append(details);
  }
}

function stateHead(icon, title) {
  const head = el('div', 'state-head');
  const iconBox = el('span', 'state-icon');
  iconBox.append(svgIcon(icon, 18));
  head.append(iconBox, el('h3', 'state-title', title));
  return head;
}

function renderNotFound(turn, box, handlers) {
  box.classList.add('state-not-found');
  box.append(stateHead(kIcons.search, 'Not found in the articles'),
             el('p', 'answer-text', turn.response.answer || 'The articles don’t answer this question.'),
             el('p', 'state-hint', 'Try rephrasing with the words an article would use, or ask ' +
                                   'about something the articles cover.'));
  const covers = el('div', 'covers');
  box.append(covers);
  loadDocumentTitles().then((titles) => {
    if (titles.length === 0 || !covers.isConnected) return;
    const list = el('ul', 'covers-list');
    for (const title of titles.slice(0, 8)) {
      const item = el('li', '', title);
      item.title = title;
      list.append(item);
    }
    covers.append(el('p', 'covers-label', 'The articles cover:'), list);
    handlers.onLateContent(turn);
  });
}

function renderPending(box) {
  box.classList.add('state-pending');
  const dots = el('span', 'typing-dots');
  dots.setAttribute('aria-hidden', 'true');
  dots.append(el('span'), el('span'), el('span'));
  box.append(dots, el('span', 'pending-label', 'Searching the articles…'));
}

function renderError(turn, box, handlers) {
  box.classList.add('state-error');
  const e = turn.error || {};
  const detail = e.kind === 'network'
      ? 'The citeqa server isn’t responding. Check that it is running and that you are ' +
        'online, then try again.'
      : e.message || 'Please try again.';
  const retry = el('button', 'button button-secondary retry-button');
  retry.type = 'button';
  retry.append(svgIcon(kIcons.retry, 16), el('span', '', 'Try again'));
  retry.addEventListener('click', () => handlers.onRetry(turn));
  box.append(stateHead(kIcons.alert, errorTitle(e)), el('p', 'state-hint', detail), retry);
}

// Fills `li` (emptied first) with the turn. handlers: onOpenSource(turn, citation, opener),
// onRetry(turn), onLateContent(turn) when content arrives after the first render.
export function renderTurn(li, turn, handlers) {
  li.replaceChildren();
  const question = el('div', 'question-bubble');
  question.append(el('span', 'visually-hidden', 'You asked: '), document.createTextNode(turn.question));

  const answer = el('div', 'answer');
  answer.setAttribute('aria-busy', String(turn.status === 'pending'));
  const avatar = el('span', 'answer-avatar');
  avatar.append(svgIcon(kIcons.logo, 16));
  const body = el('div', 'answer-body');
  body.append(el('span', 'visually-hidden', 'Answer: '));
  if (turn.status === 'pending') renderPending(body);
  else if (turn.status === 'error') renderError(turn, body, handlers);
  else if (isNotFound(turn.response)) renderNotFound(turn, body, handlers);
  else renderFound(turn, body, handlers);
  answer.append(avatar, body);

  li.append(question, answer);
  if (li.isConnected) updateExpandButtons(li);
}
