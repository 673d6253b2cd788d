// The citeqa HTTP API as the page uses it (see CONTRACT.md): POST /api/ask,
// GET /api/passages/{id}, GET /api/documents, GET /api/suggestions, POST /api/feedback and
// the admin report GET/DELETE /api/reports/unanswered. Failures become ApiError values with
// a `kind` the page can explain; URLs are relative so the page also works under a prefix.

const kAskTimeoutMs = 30000;
const kReadTimeoutMs = 15000;

export class ApiError extends Error {
  // kind: 'network' (no answer at all), 'timeout', 'server' (5xx), 'client' (4xx),
  // 'format' (an answer the page cannot read). `status` is the HTTP status (0 without one)
  // and `code` the error body's code; `retryAfter` the Retry-After header ('' without one),
  // sent when the server is only busy for a moment.
  constructor(kind, message, code = '', status = 0, retryAfter = '') {
    super(message);
    this.kind = kind;
    this.code = code;
    this.status = status;
    this.retryAfter = retryAfter;
  }
}

// Fetches JSON. Resolves with the parsed body of a 2xx response; rejects with ApiError, or
// with the abort error when `signal` aborts.
async function fetchJson(url, options, timeoutMs, signal) {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  if (signal) signal.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const timer = window.setTimeout(() => { timedOut = true; controller.abort(); }, timeoutMs);
  try {
    let res;
    try {
      res = await fetch(url, { ...options, signal: controller.signal });
    } catch (err) {
      if (timedOut) throw new ApiError('timeout', 'The server took too long to answer.');
      if (signal && signal.aborted) throw err;
      throw new ApiError('network', 'The citeqa server can’t be reached.');
    }
    let body = null;
    try {
      body = await res.json();
    } catch (_) {
      body = null;
    }
    if (!res.ok) {
      const e = body && typeof body.error === 'object' && body.error ? body.error : {};
      const message = typeof e.message === 'string' && e.message ? e.message : `HTTP ${res.status}`;
      throw new ApiError(res.status >= 500 ? 'server' : 'client', message, String(e.code || ''),
                         res.status, res.headers.get('Retry-After') || '');
    }
    if (body === null) throw new ApiError('format', 'The server sent a response the page can’t read.');
    return body;
  } finally {
    window.clearTimeout(timer);
    if (signal) signal.removeEventListener('abort', onAbort);
  }
}

export function isAskResponse(r) {
  return !!r && typeof r === 'object' && typeof r.answer === 'string' && Array.isArray(r.citations);
}

// POST /api/ask. `history` (earlier questions, oldest first) and `conversationId` are sent
// only when present.
export async function askQuestion({ question, conversationId, history }, signal) {
  const body = { question };
  if (conversationId) body.conversation_id = conversationId;
  if (history && history.length > 0) body.history = history;
  const response = await fetchJson('api/ask', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  }, kAskTimeoutMs, signal);
  if (!isAskResponse(response)) {
    throw new ApiError('format', 'The server sent a response the page can’t read.');
  }
  return response;
}

// GET /api/passages/{id}: {passage_id, doc, title, heading, passage, before, after}.
export function fetchPassage(passageId) {
  return fetchJson(`api/passages/${encodeURIComponent(String(passageId))}`,
                   { headers: { Accept: 'application/json' } }, kReadTimeoutMs);
}

// GET /api/suggestions: example questions drawn from the articles; resolves with [] when
// they can't be had (the page then keeps its neutral text).
export function fetchSuggestions() {
  return fetchJson('api/suggestions', { headers: { Accept: 'application/json' } }, kReadTimeoutMs)
      .then((body) => (body && Array.isArray(body.suggestions) ? body.suggestions : [])
          .filter((q) => typeof q === 'string' && q.trim() !== ''))
      .catch(() => []);
}

let documentTitles = null;

// Titles of the indexed articles, fetched once; resolves with [] when they can't be had.
export function loadDocumentTitles() {
  if (!documentTitles) {
    documentTitles = fetchJson('api/documents', { headers: { Accept: 'application/json' } },
                               kReadTimeoutMs)
        .then((body) => {
          const list = Array.isArray(body) ? body
                                           : (body && Array.isArray(body.documents) ? body.documents : []);
          return list.map((d) => String((d && (d.title || d.file)) || '')).filter(Boolean);
        })
        .catch(() => {
          documentTitles = null;  // try again next time
          return [];
        });
  }
  return documentTitles;
}

// POST /api/feedback: a reader's vote ('up' or 'down') on `answer`, the answer to `question`.
// The conversation id and comment are sent only when present. Resolves with the body
// ({recorded: true}); rejects with ApiError (503 when the server keeps no feedback).
export function sendFeedback({ question, answer, vote, conversationId, comment }) {
  const body = { question, answer, vote };
  if (conversationId) body.conversation_id = conversationId;
  if (comment) body.comment = comment;
  return fetchJson('api/feedback', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  }, kReadTimeoutMs);
}

function adminHeaders(token) {
  return { Accept: 'application/json', Authorization: `Bearer ${token}` };
}

// GET /api/reports/unanswered with the admin token: {since, retention_days, total_groups,
// groups: [...]} (see the shared design). Rejects with ApiError: status 401 for a wrong token.
export async function fetchUnansweredReport(token) {
  const report = await fetchJson('api/reports/unanswered', { headers: adminHeaders(token) },
                                 kReadTimeoutMs);
  if (!report || typeof report !== 'object' || !Array.isArray(report.groups)) {
    throw new ApiError('format', 'The server sent a report the page can’t read.');
  }
  return report;
}

// DELETE /api/reports/unanswered?question=QUESTION: forgets the kept rows of one group (the
// normalised question). Resolves with the number of rows deleted.
export async function forgetUnanswered(token, question) {
  const body = await fetchJson(`api/reports/unanswered?question=${encodeURIComponent(question)}`,
                               { method: 'DELETE', headers: adminHeaders(token) }, kReadTimeoutMs);
  return Number(body && body.deleted) || 0;
}
