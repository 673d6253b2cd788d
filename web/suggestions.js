// The empty page's example questions: fetched from GET /api/suggestions (drawn from the
// indexed articles, each one citeqa answers) and shown as buttons. While they load, and
// when there are none, the page shows its neutral line instead.

import { fetchSuggestions } from './api.js';
import { el } from './dom.js';

const kMaxExamples = 6;

// Fills `list` with a button per suggestion and calls onAsk(question) when one is clicked.
// `title` and `none` are the heading shown with the buttons and the line shown without.
// Resolves with the questions shown.
export async function showSuggestions({ list, title, none }, onAsk) {
  const questions = (await fetchSuggestions()).slice(0, kMaxExamples);
  list.replaceChildren(...questions.map((question) => {
    const button = el('button', 'example', question);
    button.type = 'button';
    button.addEventListener('click', () => onAsk(question));
    const item = el('li');
    item.append(button);
    return item;
  }));
  const any = questions.length > 0;
  list.hidden = !any;
  title.hidden = !any;
  none.hidden = any;
  return questions;
}
