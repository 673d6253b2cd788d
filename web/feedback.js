// "Did this help?" under an answer (and under "not found"): thumbs up and thumbs down
// buttons; a down vote first opens an optional comment with Send and Skip. The vote goes to
// POST /api/feedback; then the row thanks the reader, or shows the error in place and lets
// them try again. A vote sent is kept on the turn (`turn.vote`), so a re-render or a reopened
// conversation shows the thanks instead of asking again.

import { ApiError, sendFeedback } from './api.js';
import { el, kIcons, svgIcon } from './dom.js';

const kMaxCommentChars = 2000;

const kThanks = {
  up: 'Thanks for your feedback.',
  down: 'Thanks. This helps the editors see what the articles are missing.',
};

// The line shown in place when a vote was not kept.
export function feedbackErrorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 503 && err.retryAfter) return 'The server is busy. Try again in a moment.';
    if (err.status === 503) return 'Feedback is turned off on this server.';
    if (err.kind === 'network') return 'Couldn’t reach the server. Try again.';
    if (err.kind === 'timeout') return 'The server took too long. Try again.';
    if (err.status === 413) return 'That comment is too long. Shorten it and try again.';
    if (err.kind === 'client') return `Feedback wasn’t saved: ${err.message}`;
  }
  return 'Feedback wasn’t saved. Try again.';
}

function voteButton(vote, label, icon) {
  const button = el('button', `feedback-vote feedback-${vote}`);
  button.type = 'button';
  button.dataset.vote = vote;
  button.setAttribute('aria-label', label);
  button.setAttribute('aria-pressed', 'false');
  button.title = label;
  button.append(svgIcon(icon, 17));
  return button;
}

function commentForm(turn) {
  const form = el('form', 'feedback-comment');
  form.hidden = true;
  form.noValidate = true;
  const id = `${turn.id}-comment`;
  const label = el('label', 'feedback-comment-label', 'What was wrong or missing? (optional)');
  label.htmlFor = id;
  const text = el('textarea', 'feedback-comment-text');
  text.id = id;
  text.rows = 2;
  text.maxLength = kMaxCommentChars;
  const send = el('button', 'button button-primary feedback-send', 'Send');
  send.type = 'submit';
  const skip = el('button', 'button feedback-skip', 'Skip');
  skip.type = 'button';
  const actions = el('div', 'feedback-comment-actions');
  actions.append(send, skip);
  form.append(label, text, actions);
  return { form, text, send, skip };
}

// The feedback block for `turn` (a 'done' turn whose response is shown).
// onSent(turn) is called once a vote is kept (turn.vote is set by then).
export function renderFeedback(turn, onSent) {
  const box = el('div', 'feedback');
  const row = el('div', 'feedback-row');
  const prompt = el('span', 'feedback-prompt', 'Did this help?');
  prompt.id = `${turn.id}-feedback`;
  const votes = el('div', 'feedback-votes');
  votes.setAttribute('role', 'group');
  votes.setAttribute('aria-labelledby', prompt.id);
  const up = voteButton('up', 'Helpful', kIcons.thumbUp);
  const down = voteButton('down', 'Not helpful', kIcons.thumbDown);
  votes.append(up, down);
  const status = el('p', 'feedback-status');
  status.setAttribute('aria-live', 'polite');
  row.append(prompt, votes, status);
  const comment = commentForm(turn);
  box.append(row, comment.form);

  const press = (vote) => {
    up.setAttribute('aria-pressed', String(vote === 'up'));
    down.setAttribute('aria-pressed', String(vote === 'down'));
  };
  const setStatus = (text, kind = '') => {
    status.textContent = text;
    status.className = `feedback-status${kind ? ` feedback-${kind}` : ''}`;
  };
  const showThanks = (vote) => {
    press(vote);
    box.classList.add('feedback-sent');
    up.disabled = true;
    down.disabled = true;
    prompt.hidden = true;
    comment.form.hidden = true;
    setStatus(kThanks[vote], 'thanks');
  };
  if (turn.vote === 'up' || turn.vote === 'down') {
    showThanks(turn.vote);
    return box;
  }

  let sending = false;
  const send = async (vote, text = '') => {
    if (sending) return;
    sending = true;
    press(vote);
    box.setAttribute('aria-busy', 'true');
    for (const b of [up, down, comment.send, comment.skip]) b.disabled = true;
    setStatus('Sending…');
    try {
      await sendFeedback({ question: turn.question, answer: turn.response.answer, vote,
                           conversationId: turn.response.conversation_id, comment: text.trim() });
      turn.vote = vote;
      const hadFocus = box.contains(document.activeElement);
      showThanks(vote);
      if (hadFocus) {
        status.tabIndex = -1;
        status.focus();
      }
      onSent(turn);
    } catch (err) {
      setStatus(feedbackErrorText(err), 'error');
      for (const b of [up, down, comment.send, comment.skip]) b.disabled = false;
      if (comment.form.hidden) press(null);
    } finally {
      sending = false;
      box.removeAttribute('aria-busy');
    }
  };

  const closeComment = () => {
    comment.form.hidden = true;
    press(null);
    down.focus();
  };
  up.addEventListener('click', () => {
    comment.form.hidden = true;
    send('up');
  });
  down.addEventListener('click', () => {
    if (!comment.form.hidden) {
      closeComment();
      return;
    }
    press('down');
    setStatus('');
    comment.form.hidden = false;
    comment.text.focus();
  });
  comment.form.addEventListener('submit', (event) => {
    event.preventDefault();
    send('down', comment.text.value);
  });
  comment.skip.addEventListener('click', () => send('down'));
  comment.text.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      closeComment();
    } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      send('down', comment.text.value);
    }
  });
  return box;
}
