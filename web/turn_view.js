// Renders one turn of the conversation: the question, then its answer with [n] markers
// linked to cards of the cited passages, or the "not found", loading or error state.
// A turn is {id, question, status: 'pending' | 'done' | 'error', response?, error?}.

import { loadDocumentTitles } from './api.js';
import { answerCopyText, renderAnswerActions, renderAnswerText } from './answer_view.js';
import { el, kIcons, svgIcon } from './dom.js';
import { renderFeedback } from './feedback.js';
import { formatMs, plural } from './format.js';
import { renderSourceCard, updateExpandButtons } from './source_card.js';

export { sourceCardId, updateExpandButtons } from './source_card.js';

const kErrorTitles = {
  network: 'Can’t reach the server',
  timeout: 'The server is taking too long',
  server: 'The server ran into a problem',
  client: 'The question could not be answered',
  format: 'Unexpected answer from the server',
};

export function isNotFound(response) {
  return response.found === false || response.citations.length === 0;
}

// The short title of an error state, also used for the screen-reader announcement.
export function errorTitle(error) {
  return kErrorTitles[error && error.kind] || 'Something went wrong';
}

// {cited, related}: the answer's sources in the order of their numbers, and the other
// passages. A response without `cited` flags (kept by an older page) counts the passages
// its [n] markers name as cited.
export function splitCitations(response) {
  const citations = response.citations.filter((c) => c && Number.isInteger(Number(c.n)));
  const flagged = citations.some((c) => typeof c.cited === 'boolean');
  const referenced = new Set([...response.answer.matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1])));
  const isCited = (c) => (flagged ? c.cited === true : referenced.has(Number(c.n)));
  const cited = citations.filter(isCited).sort((a, b) => Number(a.n) - Number(b.n));
  return { cited, related: citations.filter((c) => !isCited(c)) };
}

function renderFound(turn, box, handlers) {
  const r = turn.response;
  const { cited, related } = splitCitations(r);
  box.append(renderAnswerText(turn, r.answer, [...cited, ...related]));

  const footer = el('div', 'answer-footer');
  const meta = el('p', 'answer-meta', plural(cited.length, 'cited passage', 'cited passages'));
  const took = formatMs(r.took_ms);
  if (took) meta.append(document.createTextNode(' · '), el('span', 'answer-timing', took));
  footer.append(meta,
                renderAnswerActions(() => answerCopyText(r.answer, cited, window.location.href),
                                    () => handlers.linkTo(turn),
                                    (what, ok) => handlers.onCopied(turn, what, ok)));
  box.append(footer);

  if (cited.length > 0) {
    const list = el('ol', 'source-cards');
    list.setAttribute('aria-label', 'Cited passages');
    for (const c of cited) list.append(renderSourceCard(turn, c, handlers));
    box.append(list);
  }
  if (related.length > 0) {
    const details = el('details', 'more-sources');
    details.append(el('summary', '', plural(related.length, 'related passage', 'related passages')));
    const more = el('ol', 'source-cards');
    more.setAttribute('aria-label', 'Related passages');
    for (const c of related) more.append(renderSourceCard(turn, c, handlers, { related: true }));
    details.append(more);
    details.addEventListener('toggle', () => updateExpandButtons(details));
    box.append(details);
  }
  box.append(renderFeedback(turn, handlers.onFeedbackSent));
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
  box.append(covers, renderFeedback(turn, handlers.onFeedbackSent));
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
// onRetry(turn), onLateContent(turn) when content arrives after the first render,
// linkTo(turn) the link that asks the turn's question again, onCopied(turn, what, ok),
// onFeedbackSent(turn) once the reader's vote on the answer is kept.
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
