// The trash: cards deleted in the last 30 days, newest deletion first, each with when and by
// whom, and "Restore" for those who may write (viewers see the list alone; the server says
// who may, through `can`). A restored card goes back on the board from the response at once
// (its task.restored event follows, harmless); a card restored elsewhere leaves the list as
// its event arrives.

import * as api from './api.js';
import * as H from './history-state.js';
import { openModal } from './modal.js';
import { applyLocalTask, displayName } from './state.js';
import { announce, h, showErrors } from './ui.js';

// ctx: board.js's widget context. Returns { dialog, restored(taskId) }.
export function openTrash(ctx) {
  return new TrashDialog(ctx);
}

class TrashDialog {
  constructor(ctx) {
    this.ctx = ctx;
    this.rows = new Map(); // task id -> its <li>
    this.errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.status = h('p', { class: 'trash-status muted', role: 'status' }, 'Loading the trash…');
    this.list = h('ul', { class: 'trash-list', 'aria-labelledby': 'trash-title' });
    this.more = h(
      'button',
      { type: 'button', class: 'btn', hidden: true, onclick: () => this.load(this.next) },
      'Load more',
    );
    this.next = null;
    const close = h(
      'button',
      { type: 'button', class: 'btn', onclick: () => this.dialog.close() },
      'Close',
    );
    this.dialog = h(
      'dialog',
      { class: 'trash-dialog', 'aria-labelledby': 'trash-title' },
      h('h2', { id: 'trash-title' }, 'Trash'),
      h('p', { class: 'muted trash-intro' }, 'Deleted cards stay here for 30 days.'),
      this.errors,
      this.status,
      this.list,
      h('div', { class: 'dialog-actions' }, this.more, h('span', { class: 'spacer' }), close),
    );
    openModal(this.dialog);
    close.focus();
    this.load(`/api/boards/${ctx.boardId}/trash/`);
  }

  get open() {
    return this.dialog.open;
  }

  async load(path) {
    this.more.disabled = true;
    try {
      const page = await api.get(path);
      const rows = Array.isArray(page) ? page : page.results || [];
      for (const row of rows) if (!this.rows.has(row.id)) this.add(row);
      this.next = Array.isArray(page) ? null : H.nextPath(page.next);
      this.more.hidden = !this.next;
      this.summary();
    } catch (error) {
      this.status.textContent = '';
      showErrors(this.errors, {}, error.body);
    } finally {
      this.more.disabled = false;
    }
  }

  summary() {
    this.status.textContent = this.rows.size ? '' : 'The trash is empty.';
  }

  // Someone deleted a card while the list is open: it goes on top, as the server lists it.
  deleted(event, name) {
    const id = event.data && event.data.id;
    if (id == null || this.rows.has(id)) return;
    this.add({ id, name, deleted_at: event.at, deleted_by: event.actor }, { first: true });
    this.summary();
  }

  add(row, { first = false } = {}) {
    const state = this.ctx.state();
    const line = H.trashLine(row, {
      timeZone: state.board.timezone,
      nameOf: (username) => displayName(state, username),
    });
    const restore = state.can.write
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small',
            'aria-label': `Restore “${line.name}”`,
            onclick: (event) => this.restore(row, event.currentTarget),
          },
          'Restore',
        )
      : null;
    const li = h(
      'li',
      { class: 'trash-row', dataset: { taskId: row.id } },
      h(
        'div',
        { class: 'trash-text' },
        h('strong', { class: 'trash-name' }, line.name),
        h('span', { class: 'muted' }, line.text),
      ),
      restore,
    );
    this.rows.set(row.id, li);
    if (first) this.list.prepend(li);
    else this.list.append(li);
  }

  async restore(row, button) {
    showErrors(this.errors, {}, null);
    button.disabled = true;
    try {
      const task = await api.post(`/api/tasks/${row.id}/restore/`, {});
      if (task && task.id != null) this.ctx.apply((s) => applyLocalTask(s, task));
      this.restored(row.id, { focus: true });
      announce(`Restored “${row.name}”`);
    } catch (error) {
      button.disabled = false;
      showErrors(this.errors, {}, error.body);
    }
  }

  // The card is back on the board (here, or by anyone: its task.restored event).
  restored(taskId, { focus = false } = {}) {
    const li = this.rows.get(taskId);
    if (!li) return;
    const neighbour = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    this.rows.delete(taskId);
    this.summary();
    if (!focus) return;
    const target = neighbour && neighbour.querySelector('button');
    (target || this.dialog.querySelector('.dialog-actions .btn:last-child')).focus();
  }
}
