// The source viewer: a modal <dialog> showing a cited passage emphasised in its article,
// between the dimmed passages before and after it (GET /api/passages/{id}), with the
// sentences the answer quotes marked and scrolled into view. The native dialog keeps focus
// inside and closes on Escape; focus returns to the button that opened it.

import { fetchPassage } from './api.js';
import { el } from './dom.js';
import { highlightRanges, quoteRanges } from './highlight.js';
import { appendPassage } from './passage_text.js';

const kContextAbovePx = 96;  // text kept in view above the passage or quote scrolled to

export class SourceViewer {
  constructor(dialog) {
    this.dialog = dialog;
    this.doc = dialog.querySelector('#source-doc');
    this.title = dialog.querySelector('#source-title');
    this.section = dialog.querySelector('#source-section');
    this.body = dialog.querySelector('#source-body');
    this.closeButton = dialog.querySelector('#source-close');
    this.opener = null;
    this.link = '';  // the "#passage-N" hash this opening came from, if any
    this.token = 0;  // tells a late response for an earlier opening to go away

    this.closeButton.addEventListener('click', () => this.close());
    dialog.addEventListener('close', () => this.onClosed());
    dialog.addEventListener('click', (event) => {
      // A click on the backdrop lands on the dialog element itself (it has no padding).
      if (event.target === dialog) this.close();
    });
  }

  // Shows `citation` (from an /api/ask response to `question`) at once, then its context.
  // `link` is the "#passage-N" hash that asked for it, forgotten again on close.
  open(citation, question, opener, link = '') {
    this.opener = opener;
    this.link = link;
    const token = ++this.token;
    const passage = String(citation.passage || '');
    const ranges = highlightRanges(passage, citation.highlights, question);
    const quotes = quoteRanges(passage, citation.quotes);
    this.doc.textContent = citation.doc ? String(citation.doc) : '';
    this.title.textContent = String(citation.title || citation.doc || 'Source');
    this.section.hidden = true;
    this.render({ before: [], passage, ranges, quotes, after: [], status: 'loading' });
    if (!this.dialog.open) this.dialog.showModal();
    this.closeButton.focus();

    fetchPassage(citation.passage_id)
        .then((ctx) => {
          if (token !== this.token) return;
          if (ctx.title) this.title.textContent = String(ctx.title);
          if (ctx.doc) this.doc.textContent = String(ctx.doc);
          if (ctx.heading) {
            this.section.textContent = String(ctx.heading);
            this.section.hidden = false;
          }
          const text = typeof ctx.passage === 'string' ? ctx.passage : passage;
          const strings = (xs) => (Array.isArray(xs) ? xs.filter((x) => typeof x === 'string') : []);
          const same = text === passage;  // else the index changed: the ranges are not for it
          this.render({
            before: strings(ctx.before),
            passage: text,
            ranges: same ? ranges : highlightRanges(text, undefined, question),
            quotes: same ? quotes : [],
            after: strings(ctx.after),
            status: 'ready',
          });
        })
        .catch((err) => {
          if (token !== this.token) return;
          this.render({ before: [], passage, ranges, quotes, after: [], status: 'error',
                        message: err.message });
        });
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  onClosed() {
    // The close event comes as a task of its own: by then a link may have opened the viewer
    // again, and that opening is not this close's to undo.
    if (this.dialog.open) return;
    this.token++;
    // A viewer opened from a "#passage-N" link forgets the link, so it can be followed again;
    // a link followed since then (the viewer's close event is late) is left alone.
    if (this.link && window.location.hash === this.link) {
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    this.link = '';
    const opener = this.opener;
    this.opener = null;
    if (opener && opener.isConnected) opener.focus();
  }

  render({ before, passage, ranges, quotes, after, status, message }) {
    const body = this.body;
    body.replaceChildren();
    body.setAttribute('aria-busy', String(status === 'loading'));
    if (status === 'ready' && before.length === 0) {
      body.append(el('p', 'context-edge', 'Start of the article'));
    }
    for (const text of before) body.append(el('p', 'context-passage', text));
    const cited = el('p', 'cited-passage');
    cited.append(el('span', 'visually-hidden', 'Cited passage: '));
    appendPassage(cited, passage, { quotes, highlights: ranges });
    body.append(cited);
    for (const text of after) body.append(el('p', 'context-passage', text));
    if (status === 'ready' && after.length === 0) {
      body.append(el('p', 'context-edge', 'End of the article'));
    }
    if (status === 'loading') {
      body.append(el('p', 'context-status', 'Loading the surrounding text…'));
    } else if (status === 'error') {
      body.append(el('p', 'context-status context-error',
                     `Couldn’t load the surrounding text${message ? `: ${message}` : '.'}`));
    }
    // Bring the first quoted sentence (or the passage) into view with a few lines of the text
    // before it showing.
    const target = cited.querySelector('mark.quote') || (before.length > 0 ? cited : null);
    window.requestAnimationFrame(() => {
      if (!target) {
        body.scrollTop = 0;
        return;
      }
      const offset = target.getBoundingClientRect().top - body.getBoundingClientRect().top;
      body.scrollTop = Math.max(0, body.scrollTop + offset - kContextAbovePx);
    });
  }
}
