// "+ Add a card" at the foot of a column: a one-line form that creates the card at the end of
// that column on Enter and stays open for the next one; Escape (or Close) folds it back.
// Names are sent one after another, in the order typed, while the user types the next.

import { errorLines, h } from './ui.js';

// submit(col, name) → Promise<{ hidden }> (hidden: the board's filter does not show it).
export function createQuickAdd(key, submit) {
  return new QuickAdd(key, submit);
}

class QuickAdd {
  constructor(key, submit) {
    this.col = null;
    this.submit = submit;
    this.chain = Promise.resolve();
    const id = `quick-add-${key}`;
    this.opener = h(
      'button',
      {
        type: 'button',
        class: 'quick-add-open',
        'aria-expanded': 'false',
        'aria-controls': `${id}-form`,
        onclick: () => this.open(),
      },
      h('span', { 'aria-hidden': 'true' }, '+ '),
      'Add a card',
    );
    this.label = h('label', { for: id, class: 'sr-only' });
    this.input = h('input', {
      id,
      name: 'name',
      maxlength: 100,
      autocomplete: 'off',
      enterkeyhint: 'done',
      placeholder: 'Card name, then Enter',
    });
    this.note = h('p', { class: 'quick-add-note', 'aria-live': 'polite' });
    this.form = h(
      'form',
      {
        id: `${id}-form`,
        class: 'quick-add-form',
        hidden: true,
        onsubmit: (event) => {
          event.preventDefault();
          this.send();
        },
        onkeydown: (event) => {
          if (event.key === 'Escape') {
            event.preventDefault();
            this.close();
          }
        },
      },
      this.label,
      this.input,
      h(
        'div',
        { class: 'quick-add-actions' },
        h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, 'Add card'),
        h(
          'button',
          { type: 'button', class: 'btn btn-small', onclick: () => this.close() },
          'Close',
        ),
      ),
      this.note,
    );
    this.root = h('div', { class: 'quick-add' }, this.opener, this.form);
  }

  update(col, canWrite) {
    this.col = col;
    this.root.hidden = !canWrite;
    this.opener.setAttribute('aria-label', `Add a card to ${col.title}`);
    this.label.textContent = `Name of the new card in ${col.title}`;
    if (!canWrite && !this.form.hidden) this.close(false);
  }

  open() {
    this.form.hidden = false;
    this.opener.hidden = true;
    this.opener.setAttribute('aria-expanded', 'true');
    this.input.focus();
  }

  close(refocus = true) {
    this.form.hidden = true;
    this.opener.hidden = false;
    this.opener.setAttribute('aria-expanded', 'false');
    this.note.replaceChildren();
    if (refocus) this.opener.focus();
  }

  // The input is cleared at once for the next name; a name the server refused comes back
  // into an empty input with the reason, so nothing typed is lost.
  send() {
    const name = this.input.value.trim();
    if (!name) {
      this.say('Type a name for the card first.', 'error');
      return;
    }
    const col = this.col;
    this.input.value = '';
    this.chain = this.chain.then(async () => {
      try {
        const { hidden } = await this.submit(col, name);
        const where = hidden ? ' The filter hides it.' : '';
        this.say(`Added “${name}” to ${col.title}.${where}`);
      } catch (error) {
        if (!this.input.value) this.input.value = name;
        this.say(`“${name}” was not added: ${errorLines(error.body).join(' ')}`, 'error');
      }
    });
  }

  say(text, kind = 'ok') {
    this.note.dataset.kind = kind;
    this.note.replaceChildren(text);
  }
}
