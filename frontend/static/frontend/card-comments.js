// The card's comments (SPEC section 12): the list oldest first (GET /api/tasks/{id}/comments/,
// "Load more" follows `next`), a box to add one (Ctrl/Cmd+Enter sends, "@" suggests the
// board's members), edit and delete on one's own (delete on any for the owner), and others'
// comments as their events arrive. Comments are kept by id, which grows with creation:
// a live one and a page loaded after it land in the same order either way, and our own
// POST's answer and its event's echo are one comment.

import * as api from './api.js';
import { CommentItem } from './comment-item.js';
import { mentionCombo } from './mention-combo.js';
import { usernameOf } from './state.js';
import { announce, h, showErrors } from './ui.js';

const TICK_MS = 60_000;
let count = 0;

export function commentsSection(ctx) {
  return new CommentsSection(ctx, ++count);
}

const pathOf = (url) => {
  const u = new URL(url, location.origin);
  return u.pathname + u.search;
};

class CommentsSection {
  constructor(ctx, n) {
    this.ctx = ctx;
    this.taskId = ctx.task.id;
    this.items = new Map(); // id -> CommentItem
    this.next = null;
    const titleId = `comments-${n}-title`;
    this.total = h('span', { class: 'muted comments-total' });
    this.list = h('ol', { class: 'comment-list', 'aria-labelledby': titleId });
    this.empty = h('p', { class: 'muted comments-empty', hidden: true }, 'No comments yet.');
    this.error = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.more = h(
      'button',
      { type: 'button', class: 'btn btn-small', hidden: true, onclick: () => this.loadMore() },
      'Load more comments',
    );
    this.form = this.buildForm(n);
    this.root = h(
      'section',
      { class: 'card-comments', 'aria-labelledby': titleId },
      h('h3', { id: titleId }, 'Comments ', this.total),
      this.error,
      this.list,
      this.empty,
      this.more,
      this.form,
    );
    this.counted(ctx.task.comments_count);
    this.role = `${ctx.canWrite()} ${ctx.state().can.manage === true}`;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.load(`/api/tasks/${this.taskId}/comments/`);
  }

  buildForm(n) {
    this.input = h('textarea', {
      id: `comment-${n}`,
      class: 'comment-input',
      name: 'body',
      rows: 3,
      maxlength: 10000,
      'aria-describedby': `comment-${n}-hint`,
    });
    const combo = this.decorate(this.input);
    this.formErrors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.send = h('button', { type: 'submit', class: 'btn btn-primary btn-small' }, 'Comment');
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        this.submit();
      }
    });
    const form = h(
      'form',
      {
        class: 'comment-form',
        onsubmit: (event) => {
          event.preventDefault();
          this.submit();
        },
      },
      h('label', { for: this.input.id }, 'Add a comment'),
      h('div', { class: 'combo-box' }, this.input, combo.list),
      h(
        'small',
        { class: 'hint', id: `comment-${n}-hint` },
        'Type @ to mention someone. Ctrl+Enter (⌘+Enter) sends.',
      ),
      combo.status,
      this.formErrors,
      h('div', { class: 'comment-form-actions' }, this.send),
    );
    form.hidden = !this.ctx.canWrite();
    return form;
  }

  decorate(textarea) {
    return mentionCombo(textarea, {
      people: () => this.ctx.state().members,
      me: () => this.ctx.me(),
    });
  }

  myName() {
    const me = this.ctx.me();
    return me == null ? null : usernameOf(this.ctx.state(), me);
  }

  // The author edits; the author or the board's owner deletes (the server checks again).
  allowed(comment) {
    const state = this.ctx.state();
    const mine = comment.author != null && comment.author.id === this.ctx.me();
    const write = this.ctx.canWrite();
    return { edit: mine && write, remove: write && (mine || state.can.manage === true) };
  }

  async load(path) {
    this.more.disabled = true;
    try {
      const page = await api.get(path);
      for (const comment of page.results || []) this.put(comment);
      this.next = page.next ? pathOf(page.next) : null;
      this.error.hidden = true;
    } catch (error) {
      this.error.replaceChildren(`Could not load the comments: ${error.message}`);
      this.error.hidden = false;
    } finally {
      this.more.disabled = false;
      this.layout();
    }
  }

  loadMore() {
    if (this.next) this.load(this.next);
  }

  put(comment) {
    const { counts, ...row } = comment;
    void counts;
    const item = this.items.get(row.id);
    if (item) item.update(row);
    else {
      const on = {
        allowed: (c) => this.allowed(c),
        save: (c, body) => this.save(c, body),
        remove: (c) => this.remove(c),
        decorate: (t) => this.decorate(t),
        me: () => this.myName(),
      };
      this.items.set(row.id, new CommentItem(row, on));
    }
  }

  drop(id) {
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    item.root.remove();
  }

  // Items in id order without moving those already in place (one being edited keeps focus).
  layout() {
    const ids = [...this.items.keys()].sort((a, b) => a - b);
    let cursor = this.list.firstChild;
    for (const id of ids) {
      const el = this.items.get(id).root;
      if (el === cursor) cursor = cursor.nextSibling;
      else this.list.insertBefore(el, cursor);
    }
    this.empty.hidden = this.items.size > 0 || !this.error.hidden;
    this.more.hidden = !this.next;
  }

  counted(n) {
    this.total.textContent = Number.isInteger(n) && n > 0 ? `(${n})` : '';
  }

  tick() {
    const now = Date.now();
    for (const item of this.items.values()) item.tick(now);
  }

  async submit() {
    const body = this.input.value;
    if (!body.trim()) return this.input.focus();
    this.send.disabled = true;
    showErrors(this.formErrors, { body: this.input }, null);
    try {
      const saved = await api.post(`/api/tasks/${this.taskId}/comments/`, { body });
      this.put(saved);
      this.layout();
      this.input.value = '';
      announce('Comment added');
      this.input.focus();
    } catch (error) {
      showErrors(this.formErrors, { body: this.input }, error.body || { detail: error.message });
    } finally {
      this.send.disabled = false;
    }
  }

  async save(comment, body) {
    const saved = await api.patch(`/api/comments/${comment.id}/`, { body });
    if (saved) this.put(saved);
    announce('Comment saved');
    return saved;
  }

  async remove(comment) {
    try {
      await api.del(`/api/comments/${comment.id}/`);
    } catch (error) {
      if (error.status !== 404) {
        this.error.replaceChildren(`Could not delete the comment: ${error.message}`);
        this.error.hidden = false;
        return;
      }
    }
    this.drop(comment.id);
    this.layout();
    announce('Comment deleted');
    this.input.focus();
  }

  // --- the section protocol (card-sections.js) -------------------------------------------

  update(task) {
    this.counted(task.comments_count);
    this.form.hidden = !this.ctx.canWrite();
    // What may be edited or deleted follows the role (a member made viewer loses Edit); only
    // a change of it re-renders, so a focused button survives others' edits to the board.
    const role = `${this.ctx.canWrite()} ${this.ctx.state().can.manage === true}`;
    if (role === this.role) return;
    this.role = role;
    for (const item of this.items.values()) item.update(item.comment);
  }

  events(applied) {
    let changed = false;
    for (const event of applied) {
      const data = event.data || {};
      if (!event.name.startsWith('comment.') || data.task !== this.taskId) continue;
      if (event.name === 'comment.deleted') this.drop(data.id);
      else this.put(data);
      if (data.counts) this.counted(data.counts.comments_count);
      changed = true;
    }
    if (changed) this.layout();
  }

  close() {
    clearInterval(this.timer);
  }
}
