// Find someone to invite: a combobox (WAI-ARIA 1.2, list autocomplete) over
// GET /api/boards/<id>/invitees/?search=, which finds people who share no board with us yet.
// Typing 2+ characters of a username or of a word of a full name lists up to 10; ↓/↑ move
// through them, Enter or a click picks one (its username goes in the input), Escape closes
// the list. A username typed in full opens no list (the status names its owner): the form
// sends the input's value either way.

import * as api from './api.js';
import { h } from './ui.js';

const MIN = 2;
const DEBOUNCE_MS = 180;
let count = 0;

export function userSearch(boardId, { label = 'Username or name' } = {}) {
  const box = new Combobox(boardId, ++count);
  const root = h(
    'div',
    { class: 'field combo' },
    h('label', { for: box.input.id }, label),
    h('div', { class: 'combo-box' }, box.input, box.list),
    box.status,
  );
  return { root, input: box.input, reset: () => box.reset() };
}

class Combobox {
  constructor(boardId, n) {
    this.boardId = boardId;
    this.listId = `invitee-${n}-list`;
    this.input = h('input', {
      id: `invitee-${n}`,
      name: 'username',
      required: true,
      autocomplete: 'off',
      spellcheck: 'false',
      placeholder: 'Type 2+ letters to search',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': this.listId,
      'aria-describedby': `invitee-${n}-status`,
    });
    this.list = h('ul', { id: this.listId, role: 'listbox', class: 'combo-list', hidden: true });
    this.list.setAttribute('aria-label', 'People to invite');
    this.status = h('div', { id: `invitee-${n}-status`, class: 'sr-only', role: 'status' });
    this.options = [];
    this.active = -1;
    this.timer = null;
    this.asked = 0;
    this.input.addEventListener('input', () => this.typed());
    this.input.addEventListener('keydown', (event) => this.key(event));
    this.input.addEventListener('blur', () => setTimeout(() => this.show([], ''), 0));
  }

  reset() {
    this.input.value = '';
    this.show([], '');
  }

  show(users, text) {
    this.options = users;
    this.active = -1;
    this.input.removeAttribute('aria-activedescendant');
    this.list.replaceChildren(...users.map((user, i) => this.option(user, i)));
    const open = users.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    this.status.textContent = text;
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
        // mousedown, not click: the input keeps focus until the pick is made.
        onmousedown: (event) => {
          event.preventDefault();
          this.pick(i);
        },
      },
      h('span', { class: 'combo-name' }, user.full_name || user.username),
      h('span', { class: 'combo-username muted' }, `@${user.username}`),
    );
  }

  highlight(index) {
    this.active = index;
    [...this.list.children].forEach((li, i) =>
      li.setAttribute('aria-selected', String(i === index)),
    );
    this.input.setAttribute('aria-activedescendant', `${this.listId}-${index}`);
    this.list.children[index].scrollIntoView({ block: 'nearest' });
  }

  pick(index) {
    const user = this.options[index];
    if (!user) return;
    this.input.value = user.username;
    this.show([], `${user.full_name || user.username} (${user.username}) picked`);
    this.input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  typed() {
    clearTimeout(this.timer);
    const text = this.input.value.trim();
    if (text.length < MIN) {
      this.asked++; // an answer still on its way is for older text
      return this.show([], '');
    }
    this.timer = setTimeout(() => this.search(text), DEBOUNCE_MS);
  }

  async search(text) {
    const mine = ++this.asked;
    let users;
    try {
      const query = encodeURIComponent(text);
      users = (await api.get(`/api/boards/${this.boardId}/invitees/?search=${query}`)).results;
    } catch {
      users = null;
    }
    if (mine !== this.asked || this.input.value.trim() !== text) return;
    if (!users) return this.show([], '');
    // A username typed in full needs no list (which would cover the form's button).
    const exact = users.find((u) => u.username.toLowerCase() === text.toLowerCase());
    if (exact) return this.show([], `${exact.full_name || exact.username} (${exact.username})`);
    const found = users.length === 1 ? '1 person found' : `${users.length} people found`;
    this.show(users, users.length ? `${found}: use the arrow keys to pick` : 'No one found');
  }

  key(event) {
    const open = !this.list.hidden;
    const last = this.options.length - 1;
    if (event.key === 'ArrowDown' && open) {
      event.preventDefault();
      this.highlight(this.active >= last ? 0 : this.active + 1);
    } else if (event.key === 'ArrowUp' && open) {
      event.preventDefault();
      this.highlight(this.active <= 0 ? last : this.active - 1);
    } else if (event.key === 'Enter' && open && this.active >= 0) {
      event.preventDefault(); // a pick, not the form's submit
      this.pick(this.active);
    } else if (event.key === 'Escape' && open) {
      // Closes the list only: a dialog around it stays open.
      event.preventDefault();
      event.stopPropagation();
      this.show([], '');
    }
  }
}
