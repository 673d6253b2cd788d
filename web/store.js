// Keeps the conversations in localStorage: the current one, so a reload shows it again, and
// earlier ones for the conversation list. Storage may be full or disabled (private mode):
// then the oldest conversations are given up, or nothing is kept, quietly.
//
// Stored under kStorageKey: {current: key | null, conversations: [Conversation]}, newest
// first, where Conversation is {key, conversation_id, base_history: [string], updated (ms),
// turns: [{question, response, vote?}]} and `key` is the page's own id for it; `vote` ('up' or
// 'down') is the reader's feedback on that answer, once sent.

import { isAskResponse } from './api.js';

export const kStorageKey = 'citeqa.conversations.v2';
const kOldStorageKey = 'citeqa.conversation.v1';  // one conversation, before the list
const kStoredTurnsLimit = 50;         // a turn with its passages is ~5 KB...
const kStoredConversationsLimit = 20; // ...and localStorage holds ~5 MB

function isConversation(c) {
  return !!c && typeof c === 'object' && typeof c.key === 'string' && c.key &&
         Array.isArray(c.turns);
}

function cleanConversation(c) {
  return {
    key: c.key,
    conversation_id: typeof c.conversation_id === 'string' ? c.conversation_id : null,
    base_history: Array.isArray(c.base_history) ? c.base_history.filter((h) => typeof h === 'string') : [],
    updated: Number.isFinite(c.updated) ? c.updated : 0,
    turns: c.turns.filter((t) => t && typeof t.question === 'string' && isAskResponse(t.response))
        .map((t) => (t.vote === 'up' || t.vote === 'down'
                         ? { question: t.question, response: t.response, vote: t.vote }
                         : { question: t.question, response: t.response })),
  };
}

function readJson(key) {
  try {
    return JSON.parse(window.localStorage.getItem(key) || 'null');
  } catch (_) {
    return null;
  }
}

// {current, conversations}: what is stored, with a conversation kept by an older version of
// the page taken over; empty when nothing valid is stored.
export function loadConversations() {
  const saved = readJson(kStorageKey);
  if (saved && typeof saved === 'object' && Array.isArray(saved.conversations)) {
    const conversations = saved.conversations.filter(isConversation).map(cleanConversation)
        .filter((c) => c.turns.length > 0);
    const current = conversations.some((c) => c.key === saved.current) ? saved.current : null;
    return { current, conversations };
  }
  const old = readJson(kOldStorageKey);
  if (old && typeof old === 'object' && Array.isArray(old.turns)) {
    const c = cleanConversation({ ...old, key: 'v1', updated: Date.now() });
    if (c.turns.length > 0) return { current: c.key, conversations: [c] };
  }
  return { current: null, conversations: [] };
}

// Writes `state`, giving up the oldest conversations while storage is full. Returns whether
// it was written.
function write(state) {
  const conversations = state.conversations.slice(0, kStoredConversationsLimit);
  while (true) {
    try {
      window.localStorage.setItem(kStorageKey, JSON.stringify({ current: state.current, conversations }));
      window.localStorage.removeItem(kOldStorageKey);
      return true;
    } catch (_) {
      // Full, or storage is off. Older conversations make room for the current one.
      let oldest = conversations.length - 1;
      while (oldest >= 0 && conversations[oldest].key === state.current) oldest--;
      if (oldest < 0) return false;
      conversations.splice(oldest, 1);
    }
  }
}

// Saves the conversation `key` (answered turns only) as the current one, newest first. A
// conversation without an answered turn is not listed, only remembered as current.
export function saveConversation({ key, conversationId, baseHistory, turns }) {
  const state = loadConversations();
  const done = turns.filter((t) => t.status === 'done').slice(-kStoredTurnsLimit);
  const others = state.conversations.filter((c) => c.key !== key);
  const conversations = done.length === 0 ? others : [{
    key,
    conversation_id: conversationId || null,
    base_history: baseHistory || [],
    updated: Date.now(),
    turns: done.map((t) => (t.vote ? { question: t.question, response: t.response, vote: t.vote }
                                    : { question: t.question, response: t.response })),
  }, ...others];
  return write({ current: done.length === 0 ? null : key, conversations });
}

// Marks the conversation `key` as current; null: none (a new one starts). Every
// conversation stays listed.
export function setCurrent(key) {
  const state = loadConversations();
  const known = state.conversations.some((c) => c.key === key);
  write({ current: known ? key : null, conversations: state.conversations });
}

// Removes the conversation `key` from the list (and as current).
export function deleteConversation(key) {
  const state = loadConversations();
  write({
    current: state.current === key ? null : state.current,
    conversations: state.conversations.filter((c) => c.key !== key),
  });
}

// A new key for a conversation, unique in this browser.
export function newConversationKey() {
  return `c-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

// The conversation's title in the list: its first question shown.
export function conversationTitle(c) {
  return c.turns[0].question;
}
