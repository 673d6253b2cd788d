// An answer's text on the page: paragraphs and lists (see answer_structure.js), each
// sentence followed by its [n] markers as links to the cards of its sources; and the
// answer's actions: copy the answer (with its sources) and copy a link that asks again.

import { answerBlocks, answerPlainText } from './answer_structure.js';
import { copyText } from './clipboard.js';
import { el, kIcons, svgIcon } from './dom.js';
import { passageLink } from './links.js';
import { citationTitle, sourceCardId } from './source_card.js';

const kCopiedMs = 2000;  // how long a copy button says "Copied"

function markerLink(turn, n, citationsByN) {
  const c = citationsByN.get(n);
  if (!c) return document.createTextNode(`[${n}]`);
  // The brackets stay in the text (copy and paste keeps "[1]") but are hidden visually.
  const a = el('a', 'cite-ref');
  a.href = `#${sourceCardId(turn, c.n)}`;
  a.dataset.target = sourceCardId(turn, c.n);
  a.title = citationTitle(c);
  a.setAttribute('aria-label', `Source ${c.n}: ${citationTitle(c)}`);
  a.append(el('span', 'cite-bracket', '['), document.createTextNode(String(n)),
           el('span', 'cite-bracket', ']'));
  return a;
}

function appendSentence(parent, turn, sentence, citationsByN) {
  if (sentence.text) parent.append(document.createTextNode(sentence.text));
  for (const n of sentence.markers) {
    parent.append(document.createTextNode(' '), markerLink(turn, n, citationsByN));
  }
  if (sentence.tail) parent.append(document.createTextNode(sentence.tail));
}

// <div class="answer-text"> with the answer of `turn`. White space between blocks and items
// is kept as text, so the element's text reads as the answer does.
export function renderAnswerText(turn, answer, citations) {
  const citationsByN = new Map(citations.map((c) => [Number(c.n), c]));
  const box = el('div', 'answer-text');
  const blocks = answerBlocks(answer, citations);
  blocks.forEach((block, b) => {
    if (b > 0) box.append(document.createTextNode('\n'));
    if (block.kind === 'ul') {
      const ul = el('ul', 'answer-list');
      block.items.forEach((item, i) => {
        if (i > 0) ul.append(document.createTextNode('\n'));
        const li = el('li');
        appendSentence(li, turn, item, citationsByN);
        ul.append(li);
      });
      box.append(ul);
    } else {
      const p = el('p');
      block.sentences.forEach((s, i) => {
        if (i > 0) p.append(document.createTextNode(' '));
        appendSentence(p, turn, s, citationsByN);
      });
      box.append(p);
    }
  });
  return box;
}

// The answer as plain text to copy: the answer (lists as "- " lines), then its sources, each
// "[n] Title: <link to the passage in the viewer>".
export function answerCopyText(answer, cited, href) {
  const text = answerPlainText(answerBlocks(answer, cited));
  if (cited.length === 0) return text;
  const sources = cited.map((c) => `[${c.n}] ${citationTitle(c)}: ${passageLink(href, c.passage_id)}`);
  return `${text}\n\nSources:\n${sources.join('\n')}`;
}

function copyButton(className, icon, label, getText, onCopied) {
  const button = el('button', `icon-text-button ${className}`);
  button.type = 'button';
  const labelBox = el('span', 'button-label', label);
  button.append(svgIcon(icon, 16), labelBox);
  let timer = 0;
  button.addEventListener('click', async () => {
    const copied = await copyText(getText());
    window.clearTimeout(timer);
    labelBox.textContent = copied ? 'Copied' : 'Copy failed';
    button.classList.toggle('copied', copied);
    onCopied(copied);
    timer = window.setTimeout(() => {
      labelBox.textContent = label;
      button.classList.remove('copied');
    }, kCopiedMs);
  });
  return button;
}

// The row of copy buttons. getAnswer() and getLink() give the texts at the time of the click;
// onCopied(what, ok) reports the outcome ('answer' or 'link').
export function renderAnswerActions(getAnswer, getLink, onCopied) {
  const row = el('div', 'answer-actions');
  row.append(copyButton('copy-answer', kIcons.copy, 'Copy answer', getAnswer,
                        (ok) => onCopied('answer', ok)),
             copyButton('copy-link', kIcons.link, 'Copy link', getLink,
                        (ok) => onCopied('link', ok)));
  return row;
}
