// One comment in a card's list: who, when, "(edited)", the body with its mentions marked,
// and Edit (the author) / Delete (the author or the board's owner). The element stays in the
// list across updates, so an edit under way is not lost when someone else's comment arrives.

import { timeLabel } from './inbox-state.js';
import { mentionParts } from './mentions.js';
import { personAvatar } from './person.js';
import { h, showErrors } from './ui.js';

// on: { allowed(comment) -> {edit, remove}, save(comment, body), remove(comment),
//       decorate(textarea) -> {list, status} (mention-combo.js), me() -> username | null }
export class CommentItem {
  constructor(comment, on) {
    this.on = on;
    this.editing = false;
    this.armed = false;
    this.root = h('li', { class: 'comment', dataset: { commentId: comment.id } });
    this.update(comment);
  }

  update(comment) {
    this.comment = comment;
    if (!this.editing) this.render();
  }

  render() {
    const c = this.comment;
    const author = c.author;
    const name = author ? author.full_name || author.username : 'Former member';
    const can = this.on.allowed(c);
    this.time = h('time', {
      datetime: c.created_at,
      title: new Date(c.created_at).toLocaleString(),
    });
    this.tick(Date.now());
    const parts = [
      h(
        'div',
        { class: 'comment-head' },
        author ? personAvatar(author.username, name, { size: 'sm' }) : null,
        h('strong', { class: 'comment-author' }, name),
        this.time,
        c.edited_at
          ? h(
              'span',
              {
                class: 'comment-edited muted',
                title: `Edited ${new Date(c.edited_at).toLocaleString()}`,
              },
              '(edited)',
            )
          : null,
      ),
      h('p', { class: 'comment-body' }, bodyView(c, this.on.me())),
      can.edit || can.remove
        ? h(
            'div',
            { class: 'comment-actions' },
            can.edit ? this.button('Edit', () => this.edit()) : null,
            can.remove ? (this.removeButton = this.button('Delete', () => this.remove())) : null,
          )
        : null,
    ];
    // replaceChildren would render a null as the text "null".
    this.root.replaceChildren(...parts.filter(Boolean));
    this.armed = false;
  }

  tick(now) {
    if (this.time) this.time.textContent = timeLabel(this.comment.created_at, now);
  }

  button(label, run) {
    return h(
      'button',
      { type: 'button', class: 'link-button', 'aria-label': `${label} comment`, onclick: run },
      label,
    );
  }

  // Two steps, as a card's own delete: a slip of the mouse deletes nothing.
  async remove() {
    if (!this.armed) {
      this.armed = true;
      this.removeButton.textContent = 'Confirm delete';
      this.removeButton.setAttribute('aria-label', 'Confirm delete comment');
      this.removeButton.setAttribute('aria-live', 'polite');
      return;
    }
    this.removeButton.disabled = true;
    try {
      await this.on.remove(this.comment);
    } finally {
      if (this.removeButton.isConnected) this.removeButton.disabled = false;
    }
  }

  edit() {
    this.editing = true;
    const input = h('textarea', {
      id: `comment-edit-${this.comment.id}`,
      class: 'comment-input',
      rows: 3,
      maxlength: 10000,
      'aria-label': 'Edit your comment',
    });
    input.value = this.comment.body;
    const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const combo = this.on.decorate(input);
    const save = h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, 'Save');
    const cancel = h('button', { type: 'button', class: 'btn btn-small' }, 'Cancel');
    const done = () => {
      this.editing = false;
      this.render();
      this.root.querySelector('button')?.focus();
    };
    const submit = async () => {
      save.disabled = true;
      showErrors(errors, { body: input }, null);
      try {
        const saved = await this.on.save(this.comment, input.value);
        if (saved) this.comment = saved;
        done();
      } catch (error) {
        showErrors(errors, { body: input }, error.body || { detail: error.message });
        save.disabled = false;
      }
    };
    cancel.addEventListener('click', done);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submit();
      } else if (event.key === 'Escape' && !event.defaultPrevented) {
        event.preventDefault(); // cancels the edit, not the card's dialog
        event.stopPropagation();
        done();
      }
    });
    const form = h(
      'form',
      {
        class: 'comment-edit',
        onsubmit: (event) => {
          event.preventDefault();
          submit();
        },
      },
      h('div', { class: 'combo-box' }, input, combo.list),
      combo.status,
      errors,
      h('div', { class: 'comment-form-actions' }, save, cancel),
    );
    this.root.replaceChildren(form);
    input.focus();
  }
}

// The body as text nodes (never HTML: a comment is whatever someone typed); the mentions the
// server recognised are marked, the reader's own more strongly.
export function bodyView(comment, myName) {
  return mentionParts(comment.body, comment.mentions).map((part) =>
    part.mention
      ? h(
          'span',
          {
            class:
              part.mention.toLowerCase() === (myName || '').toLowerCase()
                ? 'mention mention-me'
                : 'mention',
          },
          part.text,
        )
      : part.text,
  );
}
