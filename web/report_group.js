// One group of the unanswered-questions report as a list item: how often it came up (not
// found / voted not helpful / helpful), the normalised question and the wordings asked, when,
// the passage citeqa found closest (a link to the source viewer), the readers' comments, and
// "Forget" with an inline confirmation.

import { el } from './dom.js';
import { passageLink } from './links.js';

const count = (x) => (Number.isInteger(x) && x > 0 ? x : 0);

// "2 not found · 1 not helpful · 1 helpful": the parts that are not zero.
export function groupTally(group) {
  const parts = [];
  if (count(group.abstained)) parts.push(`${group.abstained} not found`);
  if (count(group.down_votes)) parts.push(`${group.down_votes} not helpful`);
  if (count(group.up_votes)) parts.push(`${group.up_votes} helpful`);
  return parts.join(' · ');
}

function timeElement(iso, formatTime) {
  const t = el('time', '', formatTime(iso));
  if (typeof iso === 'string') t.dateTime = iso;
  return t;
}

function passageLine(group, onOpenPassage) {
  const line = el('p', 'report-passage');
  const top = group.top_passage;
  if (!top || !Number.isInteger(top.passage_id)) {
    line.append(el('span', 'report-label', 'Closest passage: '), el('span', 'report-none', 'none came close'));
    return line;
  }
  const link = el('a', 'report-passage-link', String(top.title || top.doc || `Passage ${top.passage_id}`));
  link.href = passageLink(window.location.href, top.passage_id);
  link.addEventListener('click', (event) => {
    if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    onOpenPassage(top, link);
  });
  line.append(el('span', 'report-label', 'Closest passage: '), link);
  if (top.doc) line.append(' ', el('span', 'report-doc', String(top.doc)));
  return line;
}

function forgetControls(group, li, onForget) {
  const box = el('div', 'report-actions');
  const forget = el('button', 'button report-forget', 'Forget');
  forget.type = 'button';
  forget.setAttribute('aria-label', `Forget “${group.question}”`);
  const confirm = el('div', 'report-confirm');
  confirm.setAttribute('role', 'group');
  confirm.hidden = true;
  const question = el('p', 'report-confirm-text', 'Delete what is kept for this question, votes too?');
  question.id = `confirm-${Math.random().toString(36).slice(2, 10)}`;
  confirm.setAttribute('aria-labelledby', question.id);
  const yes = el('button', 'button button-danger report-confirm-yes', 'Forget');
  yes.type = 'button';
  const no = el('button', 'button report-confirm-no', 'Cancel');
  no.type = 'button';
  confirm.append(question, yes, no);
  box.append(forget, confirm);

  const showConfirm = (shown) => {
    forget.hidden = shown;
    confirm.hidden = !shown;
    (shown ? no : forget).focus();
  };
  forget.addEventListener('click', () => showConfirm(true));
  no.addEventListener('click', () => showConfirm(false));
  confirm.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();  // closes the confirmation, not the dialog
      showConfirm(false);
    }
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    const forgotten = await onForget(group, li);
    if (!forgotten && li.isConnected) {
      yes.disabled = false;
      no.disabled = false;
      showConfirm(false);
    }
  });
  return box;
}

// The <li> of `group` (a group of GET /api/reports/unanswered). handlers: formatTime(iso),
// onOpenPassage(topPassage, link), onForget(group, li) resolving with whether it was
// forgotten.
export function renderReportGroup(group, handlers) {
  const li = el('li', 'report-group');
  li.dataset.question = String(group.question);

  const badge = el('div', 'report-count');
  badge.append(el('span', 'report-count-n', String(count(group.count))),
               el('span', 'report-count-label', count(group.count) === 1 ? 'time' : 'times'));

  const main = el('div', 'report-main');
  main.append(el('h3', 'report-question', String(group.question)),
              el('p', 'report-tally', groupTally(group)));
  const wordings = Array.isArray(group.asked_as) ? group.asked_as.filter((w) => typeof w === 'string') : [];
  if (wordings.length > 0) {
    const asked = el('p', 'report-asked');
    asked.append(el('span', 'report-label', 'Asked as: '));
    wordings.forEach((w, i) => {
      if (i > 0) asked.append(', ');
      asked.append(el('q', 'report-wording', w));
    });
    main.append(asked);
  }
  const when = el('p', 'report-when');
  when.append(el('span', 'report-label', 'Last asked '), timeElement(group.last_seen, handlers.formatTime));
  if (group.first_seen && group.first_seen !== group.last_seen) {
    when.append(' · first ', timeElement(group.first_seen, handlers.formatTime));
  }
  main.append(when, passageLine(group, handlers.onOpenPassage));
  const comments = Array.isArray(group.comments) ? group.comments.filter((c) => typeof c === 'string' && c) : [];
  if (comments.length > 0) {
    const list = el('ul', 'report-comments');
    list.setAttribute('aria-label', 'Readers’ comments');
    for (const c of comments) list.append(el('li', 'report-comment', c));
    main.append(list);
  }

  li.append(badge, main, forgetControls(group, li, handlers.onForget));
  return li;
}
