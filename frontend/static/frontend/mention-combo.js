// @mention autocomplete on a textarea: typing "@" and letters lists the board's members who
// match; ↓/↑ move through them, Enter or Tab (or a click) puts "@username " in the text,
// Escape closes the list and leaves the dialog open. The keyboard and listbox of the ARIA
// combobox pattern; a textarea may not take role="combobox" (ARIA in HTML), so it keeps
// its textbox role with aria-autocomplete, aria-controls and aria-activedescendant, and a
// status line says how many people were found.

import { insertMention, mentionAt, mentionMatches } from './mentions.js';
import { h } from './ui.js';

let count = 0;

// textarea: the field; people(): [{user: {id, username, full_name}}] (the board's members);
// me(): the user's id. Returns { list, status, close() }: place list and status after it.
export function mentionCombo(textarea, { people, me }) {
  const combo = new MentionCombo(textarea, people, me, ++count);
  return { list: combo.list, status: combo.status, close: () => combo.close() };
}

class MentionCombo {
  constructor(textarea, people, me, n) {
    this.textarea = textarea;
    this.people = people;
    this.me = me;
    this.listId = `mention-${n}-list`;
    this.list = h('ul', {
      id: this.listId,
      role: 'listbox',
      class: 'combo-list mention-list',
      'aria-label': 'People to mention',
      hidden: true,
    });
    this.status = h('div', { class: 'sr-only', role: 'status' });
    textarea.setAttribute('aria-autocomplete', 'list');
    textarea.setAttribute('aria-controls', this.listId);
    this.found = null; // the mention being typed (mentions.js mentionAt)
    this.options = [];
    this.active = -1;
    this.dismissed = -1; // the "@" whose list Escape closed: it stays closed for that word
    textarea.addEventListener('input', () => this.typed());
    textarea.addEventListener('click', () => this.typed());
    textarea.addEventListener('keydown', (event) => this.key(event));
    textarea.addEventListener('keyup', (event) => {
      if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') this.typed();
    });
    textarea.addEventListener('blur', () => this.close());
  }

  show(users, text = '') {
    this.options = users;
    this.list.replaceChildren(...users.map((user, i) => this.option(user, i)));
    this.list.hidden = !users.length;
    this.status.textContent = text;
    this.highlight(users.length ? 0 : -1);
  }

  option(user, i) {
    return h(
      'li',
      {
        id: `${this.listId}-${i}`,
        role: 'option',
        'aria-selected': 'false',
        class: 'combo-option',
        dataset: { username: user.username },
        // mousedown, not click: the textarea keeps its focus and caret until the pick.
        onmousedown: (event) => {
          event.preventDefault();
          this.pick(i);
        },
      },
      h('span', { class: 'combo-name' }, user.full_name || user.username),
      h('span', { class: 'combo-username muted' }, ` @${user.username}`),
    );
  }

  highlight(index) {
    this.active = index;
    [...this.list.children].forEach((li, i) =>
      li.setAttribute('aria-selected', String(i === index)),
    );
    if (index < 0) this.textarea.removeAttribute('aria-activedescendant');
    else {
      this.textarea.setAttribute('aria-activedescendant', `${this.listId}-${index}`);
      this.list.children[index].scrollIntoView({ block: 'nearest' });
    }
  }

  close() {
    this.found = null;
    this.show([]);
  }

  typed() {
    const { value, selectionStart, selectionEnd } = this.textarea;
    this.found = selectionStart === selectionEnd ? mentionAt(value, selectionStart) : null;
    if (!this.found) this.dismissed = -1;
    if (!this.found || this.found.start === this.dismissed) return this.show([]);
    const users = mentionMatches(this.people(), this.found.query, { me: this.me() });
    const what = users.length === 1 ? '1 person' : `${users.length} people`;
    this.show(users, users.length ? `${what} to mention: arrow keys to choose, Enter to pick` : '');
  }

  pick(index) {
    const user = this.options[index];
    if (!user || !this.found) return;
    const next = insertMention(this.textarea.value, this.found, user.username);
    this.textarea.value = next.text;
    this.textarea.setSelectionRange(next.caret, next.caret);
    this.close();
    this.textarea.dispatchEvent(new Event('input', { bubbles: true }));
    this.status.textContent = `${user.full_name || user.username} mentioned`;
  }

  key(event) {
    if (this.list.hidden) return;
    const plain = !event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey;
    const last = this.options.length - 1;
    if (event.key === 'ArrowDown') this.highlight(this.active >= last ? 0 : this.active + 1);
    else if (event.key === 'ArrowUp') this.highlight(this.active <= 0 ? last : this.active - 1);
    else if ((event.key === 'Enter' || event.key === 'Tab') && plain) this.pick(this.active);
    else if (event.key === 'Escape') {
      this.dismissed = this.found ? this.found.start : -1;
      this.close();
      event.stopPropagation(); // the list closes, not the dialog around it
    } else return;
    event.preventDefault();
  }
}
