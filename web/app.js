// The citeqa chat page's entry point: holds the conversation, sends questions (with the
// earlier ones as `history`, so any server replica can answer a follow-up), renders the
// turns and wires the composer, the example questions, "New conversation", the
// conversation list, the editors' report and the page's links (#passage-N, #q=..., #reports).

import { ApiError, askQuestion, loadDocumentTitles } from './api.js';
import { ConversationList } from './conversation_list.js';
import { el, prefersReducedMotion } from './dom.js';
import { plural } from './format.js';
import { parseLink, questionLink } from './links.js';
import { ReportsView } from './reports.js';
import { showCard } from './source_card.js';
import { SourceViewer } from './source_viewer.js';
import { showSuggestions } from './suggestions.js';
import {
  deleteConversation, loadConversations, newConversationKey, saveConversation, setCurrent,
} from './store.js';
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
  showConversations: $('show-conversations'),
  announcer: $('announcer'),
  summary: $('corpus-summary'),
};

// key: this page's id of the conversation (in the conversation list); baseHistory: the
// questions asked before it, when it was opened from a "#q=" link.
const state = { key: '', conversationId: null, baseHistory: [], turns: [], inFlight: null };
const viewer = new SourceViewer($('source-viewer'));
const conversationList = new ConversationList($('conversations'), {
  onOpen: (key) => openConversation(key),
  onDelete: (key) => removeConversation(key),
});
let turnCounter = 0;
let announceTimer = 0;

const handlers = {
  onOpenSource: (turn, citation, opener) => viewer.open(citation, turn.question, opener),
  onRetry: (turn) => retryTurn(turn),
  onLateContent: (turn) => {
    if (state.turns[state.turns.length - 1] === turn) scrollToTurn($(turn.id));
  },
  linkTo: (turn) => questionLink(window.location.href, turn.question, historyBefore(turn)),
  onCopied: (turn, what, ok) => {
    announce(ok ? `${what === 'link' ? 'Link' : 'Answer'} copied.` : 'The browser did not allow copying.');
  },
  onFeedbackSent: () => persist(),
};
const reports = new ReportsView($('reports'), {
  onOpenPassage: (top, opener) => viewer.open(
      { passage_id: top.passage_id, passage: '', title: top.title, doc: top.doc }, '', opener),
  announce: (text) => announce(text),
});

function nextTurnId() {
  turnCounter += 1;
  return `turn-${Date.now().toString(36)}-${turnCounter}`;
}

function persist() {
  saveConversation({ key: state.key, conversationId: state.conversationId,
                     baseHistory: state.baseHistory, turns: state.turns });
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
  const earlier = [...state.baseHistory];
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
  delete turn.vote;
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
    persist();
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

function stopAsking() {
  if (state.inFlight) state.inFlight.abort();
  state.inFlight = null;
  setBusy(false);
}

// Shows `conversation` (from store.js), or a new empty one when it is null.
function showConversation(conversation) {
  stopAsking();
  state.key = conversation ? conversation.key : newConversationKey();
  state.conversationId = conversation ? conversation.conversation_id : null;
  state.baseHistory = conversation ? conversation.base_history : [];
  state.turns = conversation
      ? conversation.turns.map((t) => ({ id: nextTurnId(), question: t.question, status: 'done',
                                         response: t.response, vote: t.vote }))
      : [];
  viewer.close();
  showAll();
}

// The conversation so far stays in the list; a new one starts.
function newConversation({ quiet = false } = {}) {
  showConversation(null);
  setCurrent(null);
  els.scroller.scrollTo({ top: 0 });
  els.question.value = '';
  resizeComposer();
  els.question.focus();
  if (!quiet) announce('New conversation started.');
}

function openConversation(key) {
  const conversation = loadConversations().conversations.find((c) => c.key === key);
  if (!conversation) return;
  showConversation(conversation);
  setCurrent(key);
  els.scroller.scrollTop = els.scroller.scrollHeight;
  els.question.focus();
  announce(`Conversation opened: ${plural(conversation.turns.length, 'question', 'questions')}.`);
}

function removeConversation(key) {
  deleteConversation(key);
  if (key === state.key) newConversation({ quiet: true });
  conversationList.update({ current: state.turns.length > 0 ? state.key : null,
                            conversations: loadConversations().conversations });
  // Focus stays in the panel: on the next conversation's button, or on its close button.
  const next = document.querySelector('#conversation-items .conversation-open') ||
               $('conversations-close');
  next.focus();
  announce('Conversation deleted.');
}

function resizeComposer() {
  const q = els.question;
  q.style.height = 'auto';
  q.style.height = `${Math.min(q.scrollHeight, 200)}px`;
}

// A [n] marker brings its card into view and focus.
function onAnswerClick(event) {
  const link = event.target.closest('a.cite-ref');
  const card = link && $(link.dataset.target);
  if (!card) return;
  event.preventDefault();
  showCard(card);
}

// "#passage-42", the link Slack answers carry, opens that passage in the source viewer;
// "#q=...", a copied answer link, asks its question again in a new conversation; "#reports"
// opens the editors' report.
function followLink() {
  const link = parseLink(window.location.hash);
  if (!link) return;
  if (link.kind === 'reports') {
    conversationList.close();
    reports.open(els.question);
    return;
  }
  if (link.kind === 'passage') {
    viewer.open({ passage_id: link.passageId, passage: '', title: 'Source' }, '', null,
                window.location.hash);
    return;
  }
  // Forgotten at once, so a reload shows the conversation instead of asking again.
  history.replaceState(null, '', window.location.pathname + window.location.search);
  conversationList.close();
  newConversation({ quiet: true });
  state.baseHistory = link.history;
  submitQuestion(link.question);
}

function init() {
  const saved = loadConversations();
  showConversation(saved.conversations.find((c) => c.key === saved.current) || null);
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
  els.newConversation.addEventListener('click', () => newConversation());
  els.showConversations.addEventListener('click', () => {
    const stored = loadConversations();
    conversationList.open({ current: state.turns.length > 0 ? state.key : null,
                            conversations: stored.conversations }, els.showConversations);
  });
  showSuggestions({ list: $('examples'), title: $('examples-title'), none: $('examples-none') },
                  (question) => submitQuestion(question));
  els.turns.addEventListener('click', onAnswerClick);
  $('show-reports').addEventListener('click', (event) => {
    // Opened here rather than by the hash change, so focus comes back to the link.
    event.preventDefault();
    history.replaceState(null, '', '#reports');
    reports.open(event.currentTarget);
  });
  window.addEventListener('hashchange', followLink);
  followLink();
  window.addEventListener('resize', () => updateExpandButtons(els.turns));

  loadDocumentTitles().then((titles) => {
    if (titles.length > 0) {
      els.summary.textContent =
          `Answers from ${titles.length} ${titles.length === 1 ? 'article' : 'articles'}, with sources`;
    }
  });
}

init();
