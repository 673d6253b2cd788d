// The conversation list: a side panel (a modal <dialog>, a sheet on phones) listing the
// conversations kept in this browser, newest first, each reopenable and deletable.

import { el, kIcons, svgIcon } from './dom.js';
import { formatWhen, plural } from './format.js';
import { conversationTitle } from './store.js';

export class ConversationList {
  // dialog: the #conversations <dialog>. handlers: onOpen(key), onDelete(key), both called
  // with the panel still open; the panel closes itself after onOpen.
  constructor(dialog, handlers) {
    this.dialog = dialog;
    this.handlers = handlers;
    this.items = dialog.querySelector('#conversation-items');
    this.empty = dialog.querySelector('#conversations-empty');
    this.opener = null;
    this.state = { current: null, conversations: [] };
    dialog.querySelector('#conversations-close').addEventListener('click', () => this.close());
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) this.close();  // the backdrop
    });
    dialog.addEventListener('close', () => {
      const opener = this.opener;
      this.opener = null;
      if (opener && opener.isConnected) opener.focus();
    });
  }

  get isOpen() {
    return this.dialog.open;
  }

  // Shows the panel with `state` ({current, conversations} from store.js).
  open(state, opener) {
    this.opener = opener;
    this.update(state);
    if (!this.dialog.open) this.dialog.showModal();
    const first = this.items.querySelector('.conversation-open');
    (first || this.dialog.querySelector('#conversations-close')).focus();
  }

  close() {
    if (this.dialog.open) this.dialog.close();
  }

  // Redraws the list from `state`.
  update(state) {
    this.state = state;
    this.items.replaceChildren();
    this.empty.hidden = state.conversations.length > 0;
    const now = Date.now();
    for (const c of state.conversations) {
      const title = conversationTitle(c);
      const li = el('li', 'conversation-item');
      li.dataset.key = c.key;
      const open = el('button', 'conversation-open');
      open.type = 'button';
      if (c.key === state.current) {
        li.classList.add('current');
        open.setAttribute('aria-current', 'true');
      }
      open.append(el('span', 'conversation-title', title),
                  el('span', 'conversation-meta',
                     `${plural(c.turns.length, 'question', 'questions')} · ${formatWhen(c.updated, now)}`));
      open.addEventListener('click', () => {
        this.opener = null;  // focus goes to the question box, not back to the header
        this.handlers.onOpen(c.key);
        this.close();
      });
      const remove = el('button', 'icon-button conversation-delete');
      remove.type = 'button';
      remove.setAttribute('aria-label', `Delete conversation: ${title}`);
      remove.title = 'Delete';
      remove.append(svgIcon(kIcons.trash, 18));
      remove.addEventListener('click', () => this.handlers.onDelete(c.key));
      li.append(open, remove);
      this.items.append(li);
    }
  }
}
