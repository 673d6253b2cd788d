// The citeqa chat page's entry point: holds the conversation, sends questions (with the
// earlier ones as `history`, so any server replica can answer a follow-up), renders the
// turns and wires the composer, the example questions and "New conversation".

import { ApiError, askQuestion, loadDocumentTitles } from './api.js';
import { el, prefersReducedMotion } from './dom.js';
import { SourceViewer } from './source_viewer.js';
import { clearConversation, loadConversation, saveConversation } from './store.js';
import { errorTitle, isNotFound, renderTurn, updateExpandButtons } from './turn_view.js';

const kHistoryLimit = 10;  // earlier questions sent along with a follow-up

const $ = (id) => document.getElementById(id);
const els = {
  scroller: $('scroller'),
  empty: $('empty-state'),
  turns: $('turns'),
  form: $('composer'),
  question: $('question'),
  send: $('send'),
  newConversation: $('new-conversation'),
  announcer: $('announcer'),
  summary: $('corpus-summary'),
};

const state = { conversationId: null, turns: [], inFlight: null };
const viewer = new SourceViewer($('source-viewer'));
let turnCounter = 0;
let announceTimer = 0;

const handlers = {
  onOpenSource: (turn, citation, opener) => viewer.open(citation, turn.question, opener),
  onRetry: (turn) => retryTurn(turn),
  onLateContent: (turn) => {
    if (state.turns[state.turns.length - 1] === turn) scrollToTurn($(turn.id));
  },
};

function nextTurnId() {
  turnCounter += 1;
  return `turn-${Date.now().toString(36)}-${turnCounter}`;
}

function announce(text) {
  // Emptying first makes screen readers announce the same text twice in a row too.
  // A newer announcement replaces one still waiting ("Searching…" after a quick answer).
  window.clearTimeout(announceTimer);
  els.announcer.textContent = '';
  announceTimer = window.setTimeout(() => { els.announcer.textContent = text; }, 50);
}

function showTurn(turn) {
  let li = $(turn.id);
  if (!li) {
    li = el('li', 'turn');
    li.id = turn.id;
    els.turns.append(li);
  }
  renderTurn(li, turn, handlers);
  return li;
}

function showAll() {
  els.turns.replaceChildren();
  for (const turn of state.turns) showTurn(turn);
  const empty = state.turns.length === 0;
  els.empty.hidden = !empty;
  els.turns.hidden = empty;
}

// A short turn is shown whole at the bottom; a long one from its question down.
function scrollToTurn(li) {
  if (!li) return;
  const behavior = prefersReducedMotion() ? 'auto' : 'smooth';
  if (li.offsetHeight > els.scroller.clientHeight * 0.8) {
    li.scrollIntoView({ block: 'start', behavior });
  } else {
    els.scroller.scrollTo({ top: els.scroller.scrollHeight, behavior });
  }
}

function historyBefore(turn) {
  const earlier = [];
  for (const t of state.turns) {
    if (t === turn) break;
    if (t.status === 'done') earlier.push(t.question);
  }
  return earlier.slice(-kHistoryLimit);
}

function setBusy(busy) {
  els.send.disabled = busy;
  els.form.setAttribute('aria-busy', String(busy));
}

async function runTurn(turn) {
  turn.status = 'pending';
  turn.error = null;
  scrollToTurn(showTurn(turn));
  setBusy(true);
  announce('Searching the articles…');
  const controller = new AbortController();
  state.inFlight = controller;
  try {
    const response = await askQuestion({
      question: turn.question,
      conversationId: state.conversationId,
      history: historyBefore(turn),
    }, controller.signal);
    if (controller.signal.aborted) return;
    turn.status = 'done';
    turn.response = response;
    if (typeof response.conversation_id === 'string' && response.conversation_id) {
      state.conversationId = response.conversation_id;
    }
    saveConversation(state.conversationId, state.turns);
    scrollToTurn(showTurn(turn));
    if (isNotFound(response)) {
      announce(`Not found in the articles. ${response.answer}`);
    } else {
      const n = response.citations.length;
      announce(`Answer: ${response.answer.replace(/\s*\[\d+\]/g, '')} ` +
               `${n} ${n === 1 ? 'source' : 'sources'} below.`);
    }
  } catch (err) {
    if (controller.signal.aborted) return;
    turn.status = 'error';
    turn.error = err instanceof ApiError ? { kind: err.kind, message: err.message }
                                         : { kind: 'format', message: String(err && err.message) };
    scrollToTurn(showTurn(turn));
    announce(`${errorTitle(turn.error)}. Try again.`);
  } finally {
    if (state.inFlight === controller) {
      state.inFlight = null;
      setBusy(false);
    }
  }
}

function submitQuestion(text) {
  const question = text.trim();
  if (!question || state.inFlight) return;
  const turn = { id: nextTurnId(), question, status: 'pending' };
  state.turns.push(turn);
  els.empty.hidden = true;
  els.turns.hidden = false;
  els.question.value = '';
  resizeComposer();
  runTurn(turn);
}

function retryTurn(turn) {
  if (state.inFlight) return;
  // The retry button goes away with the re-render, so focus moves to the question box.
  els.question.focus();
  runTurn(turn);
}

function newConversation() {
  if (state.inFlight) state.inFlight.abort();
  state.inFlight = null;
  setBusy(false);
  state.conversationId = null;
  state.turns = [];
  clearConversation();
  viewer.close();
  showAll();
  els.scroller.scrollTo({ top: 0 });
  els.question.value = '';
  resizeComposer();
  els.question.focus();
  announce('New conversation started.');
}

function resizeComposer() {
  const q = els.question;
  q.style.height = 'auto';
  q.style.height = `${Math.min(q.scrollHeight, 200)}px`;
}

function onAnswerClick(event) {
  const link = event.target.closest('a.cite-ref');
  const card = link && $(link.dataset.target);
  if (!card) return;
  event.preventDefault();
  const details = card.closest('details');
  if (details) details.open = true;
  card.scrollIntoView({ block: 'nearest', behavior: prefersReducedMotion() ? 'auto' : 'smooth' });
  card.focus({ preventScroll: true });
  card.classList.remove('flash');
  void card.offsetWidth;  // restarts the CSS animation
  card.classList.add('flash');
}

// "#passage-42", the link Slack answers carry, opens that passage in the source viewer.
function openLinkedPassage() {
  const match = /^#passage-(\d{1,15})$/.exec(window.location.hash);
  if (!match) return;
  viewer.open({ passage_id: Number(match[1]), passage: '', title: 'Source' }, '', null,
              window.location.hash);
}

function init() {
  const saved = loadConversation();
  state.conversationId = saved.conversationId;
  state.turns = saved.turns.map((t) => ({
    id: nextTurnId(), question: t.question, status: 'done', response: t.response,
  }));
  showAll();
  if (state.turns.length > 0) els.scroller.scrollTop = els.scroller.scrollHeight;

  els.form.addEventListener('submit', (event) => {
    event.preventDefault();
    submitQuestion(els.question.value);
  });
  els.question.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.ctrlKey && !event.altKey &&
        !event.metaKey && !event.isComposing) {
      event.preventDefault();
      submitQuestion(els.question.value);
    }
  });
  els.question.addEventListener('input', resizeComposer);
  els.newConversation.addEventListener('click', newConversation);
  for (const button of document.querySelectorAll('button.example')) {
    button.addEventListener('click', () => submitQuestion(button.textContent));
  }
  els.turns.addEventListener('click', onAnswerClick);
  window.addEventListener('hashchange', openLinkedPassage);
  openLinkedPassage();
  window.addEventListener('resize', () => updateExpandButtons(els.turns));

  loadDocumentTitles().then((titles) => {
    if (titles.length > 0) {
      els.summary.textContent =
          `Answers from ${titles.length} ${titles.length === 1 ? 'article' : 'articles'}, with sources`;
    }
  });
}

init();
