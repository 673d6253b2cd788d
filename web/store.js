// Keeps the conversation (its id and answered turns) in localStorage so a reload shows it
// again. Storage may be full or disabled (private mode): then nothing is kept, quietly.

import { isAskResponse } from './api.js';

export const kStorageKey = 'citeqa.conversation.v1';
const kStoredTurnsLimit = 50;  // localStorage holds ~5 MB; a turn with its passages ~5 KB

// Saves {conversation_id, turns: [{question, response}]}; only answered turns are kept.
export function saveConversation(conversationId, turns) {
  const done = turns.filter((t) => t.status === 'done').slice(-kStoredTurnsLimit);
  try {
    if (done.length === 0 && !conversationId) {
      window.localStorage.removeItem(kStorageKey);
      return;
    }
    window.localStorage.setItem(kStorageKey, JSON.stringify({
      conversation_id: conversationId,
      turns: done.map((t) => ({ question: t.question, response: t.response })),
    }));
  } catch (_) {
    // Not kept: the page works the same without it.
  }
}

// Returns {conversationId, turns: [{question, response}]}; empty when nothing valid is stored.
export function loadConversation() {
  const empty = { conversationId: null, turns: [] };
  let saved = null;
  try {
    saved = JSON.parse(window.localStorage.getItem(kStorageKey) || 'null');
  } catch (_) {
    return empty;
  }
  if (!saved || typeof saved !== 'object' || !Array.isArray(saved.turns)) return empty;
  return {
    conversationId: typeof saved.conversation_id === 'string' ? saved.conversation_id : null,
    turns: saved.turns.filter((t) => t && typeof t.question === 'string' && isAskResponse(t.response)),
  };
}

export function clearConversation() {
  try {
    window.localStorage.removeItem(kStorageKey);
  } catch (_) {
    // Nothing was kept.
  }
}
