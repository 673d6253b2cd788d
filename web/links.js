// The page's own links, kept in the URL's fragment so the server never sees them:
// "#passage-42" opens that passage in the source viewer (Slack answers link there), and
// "#q=QUESTION&h=EARLIER&h=…" asks QUESTION in a new conversation, sending the earlier
// questions as its history so it gets the answer it had when the link was copied, and
// "#reports" opens the editors' report of unanswered questions. Pure.

const kMaxLinkedQuestionChars = 2000;
const kMaxLinkedHistory = 10;

// {kind: 'passage', passageId} | {kind: 'question', question, history} | {kind: 'reports'}
// | null.
export function parseLink(hash) {
  const text = String(hash || '').replace(/^#/, '');
  if (text === 'reports') return { kind: 'reports' };
  const passage = /^passage-(\d{1,15})$/.exec(text);
  if (passage) return { kind: 'passage', passageId: Number(passage[1]) };
  if (!text.startsWith('q=')) return null;
  let params;
  try {
    params = new URLSearchParams(text);
  } catch (_) {
    return null;
  }
  const question = (params.get('q') || '').trim().slice(0, kMaxLinkedQuestionChars);
  if (!question) return null;
  const history = params.getAll('h').map((h) => h.trim()).filter(Boolean)
      .slice(-kMaxLinkedHistory).map((h) => h.slice(0, kMaxLinkedQuestionChars));
  return { kind: 'question', question, history };
}

// The page's address (without query or fragment) from `href`.
export function pageAddress(href) {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

// A link that asks `question` again (after `history`, oldest first) on the page at `href`.
export function questionLink(href, question, history = []) {
  const params = new URLSearchParams();
  params.append('q', question);
  for (const h of history) params.append('h', h);
  return `${pageAddress(href)}#${params.toString()}`;
}

// A link that opens passage `passageId` in the source viewer of the page at `href`.
export function passageLink(href, passageId) {
  return `${pageAddress(href)}#passage-${passageId}`;
}
