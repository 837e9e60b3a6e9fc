// Create, edit and delete a task in a modal dialog. An edit sends only the fields the user
// changed, with the version the form was opened with, so it never reverts a field someone
// else saved meanwhile; their changes show up in the open form as they arrive; a 409 shows
// the task as it is now next to the user's changes (the rules: task-edit.js).

import * as api from './api.js';
import { renderConflict } from './conflict-panel.js';
import { columnsFor } from './state.js';
import { openModal } from './modal.js';
import * as E from './task-edit.js';
import { TaskFields } from './task-fields.js';
import { formError, h } from './ui.js';

// ctx: { boardId, state(), sprintId(), canWrite(), onSaved(task), onDeleted(id), onFocus(id|null) }
// Returns { taskId, open, stateChanged(state), remoteEdit(row, actor), close() }.
export function openTaskDialog(ctx, { taskId = null, column = null } = {}) {
  return new TaskDialog(ctx, { taskId, column }).show();
}

const EMPTY = { name: '', description: '', assigned: '', due: '' };

class TaskDialog {
  constructor(ctx, { taskId, column }) {
    const task = taskId != null ? ctx.state().tasks[taskId] || null : null;
    this.ctx = ctx;
    this.editing = task !== null;
    this.sprintId = task && task.sprint !== null ? task.sprint : ctx.sprintId();
    this.columns = columnsFor(this.sprintId);
    // seen: the newest row this form knows; version: the one the user edits against (it
    // moves only with the user's own saves and choices, never with others' changes).
    this.seen = task;
    this.version = task ? task.version : null;
    this.opened = task
      ? E.taskValues(task, this.sprintId)
      : { ...EMPTY, column: column ? column.key : 'backlog' };
    // base: what counts as not the user's; others' changes shown in place move it.
    this.base = { ...this.opened };
    this.fields = new TaskFields(ctx.state().members, this.columns, this.opened);
    this.armedDelete = false;
  }

  get taskId() {
    return this.editing ? this.seen.id : null;
  }

  get open() {
    return this.dialog.open;
  }

  show() {
    this.dialog = h(
      'dialog',
      { class: 'task-dialog', 'aria-labelledby': 'task-dialog-title' },
      this.buildForm(),
    );
    this.dialog.addEventListener('close', () => this.ctx.onFocus(null));
    this.setReadOnly(!this.ctx.canWrite());
    openModal(this.dialog);
    this.fields.focus();
    if (this.editing) this.ctx.onFocus(this.seen.id);
    return this;
  }

  buildForm() {
    this.errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.conflict = h('section', {
      class: 'conflict',
      role: 'alert',
      hidden: true,
      'aria-labelledby': 'conflict-title',
    });
    this.save = h(
      'button',
      { type: 'submit', class: 'btn btn-primary' },
      this.editing ? 'Save changes' : 'Create task',
    );
    this.remove = this.editing
      ? h(
          'button',
          { type: 'button', class: 'btn btn-danger', onclick: () => this.onDelete() },
          'Delete',
        )
      : null;
    const cancel = h(
      'button',
      { type: 'button', class: 'btn', onclick: () => this.close() },
      'Cancel',
    );
    const noted = (label, key) => this.fields.field(label, key);
    return h(
      'form',
      {
        method: 'dialog',
        class: 'task-form',
        onsubmit: (event) => {
          event.preventDefault();
          this.submit();
        },
      },
      h('h2', { id: 'task-dialog-title' }, this.editing ? 'Edit task' : 'New task'),
      this.errors,
      this.conflict,
      noted('Name', 'name'),
      noted('Description', 'description'),
      h(
        'div',
        { class: 'row row-top' },
        noted('Assignee', 'assigned'),
        noted('Due', 'due'),
        noted('Column', 'column'),
      ),
      h(
        'div',
        { class: 'dialog-actions' },
        this.remove,
        h('span', { class: 'spacer' }),
        cancel,
        this.save,
      ),
    );
  }

  setReadOnly(readOnly) {
    this.fields.setDisabled(readOnly);
    this.save.hidden = readOnly;
    if (this.remove) this.remove.hidden = readOnly;
  }

  values() {
    return this.fields.read();
  }

  close() {
    this.dialog.close();
  }

  target(key) {
    return this.columns.find((c) => c.key === key) || this.columns[0];
  }

  async submit() {
    this.errors.hidden = true;
    this.save.disabled = true;
    try {
      if (this.editing) await this.saveChanges(E.changedFields(this.base, this.values()));
      else await this.create();
    } catch (error) {
      this.failed(error, false);
    } finally {
      this.save.disabled = false;
    }
  }

  failed(error, afterDelete) {
    if (error.status === 409) this.showConflict(error.body, afterDelete);
    else formError(this.errors, error.body);
  }

  async create() {
    const { column, ...values } = this.values();
    const target = this.target(column);
    const task = await api.post('/api/tasks/', {
      board: this.ctx.boardId,
      sprint: target.sprint,
      status: target.status,
      ...E.patchBody(values),
    });
    this.ctx.onSaved(task);
    this.close();
  }

  // Only `changes` go out, each write with the version it builds on: the PATCH for the
  // fields, then the move for a column (with the PATCH's new version).
  async saveChanges(changes) {
    let task = null;
    const body = E.patchBody(changes);
    if (Object.keys(body).length) {
      task = await api.patch(`/api/tasks/${this.seen.id}/`, { ...body, version: this.version });
      this.savedOwn(task);
    }
    if (changes.column) {
      const target = this.target(changes.column);
      const move = { sprint: target.sprint, status: target.status, version: this.version };
      task = await api.post(`/api/tasks/${this.seen.id}/move/`, move);
      this.savedOwn(task);
    }
    if (task) this.ctx.onSaved(task);
    this.close();
  }

  // A write of ours went through (with the version we had, so the row is ours on top of
  // what we had seen): its fields are no longer pending, a move that fails after it builds
  // on its version, and the echo of its event is ignored (not newer).
  savedOwn(task) {
    this.seen = task;
    this.version = task.version;
    this.base = E.taskValues(task, this.sprintId);
  }

  showConflict(body, afterDelete = false) {
    const current = body.current || {};
    const now = E.taskValues(current, this.sprintId);
    const changes = afterDelete ? {} : E.changedFields(this.base, this.values());
    const rows = E.conflictRows(changes, this.opened, now);
    // The row as it is now fills the fields the user left alone, as a live change would.
    if (current.id) this.takeRemote(current, null);
    const force = afterDelete
      ? { label: 'Delete anyway', primary: true, run: () => this.forceDelete(current) }
      : { label: 'Save mine anyway', primary: true, run: () => this.saveAnyway(current) };
    renderConflict(this.conflict, {
      detail: body.detail,
      rows,
      show: (key, value) => this.fields.display(key, value),
      actions: [{ label: 'Use current values', run: () => this.useCurrent(current) }, force],
    });
  }

  // Re-apply only the user's own changes on top of the row as the 409 returned it.
  async saveAnyway(current) {
    const changes = E.rebase(
      E.changedFields(this.base, this.values()),
      E.taskValues(current, this.sprintId),
    );
    this.version = current.version;
    this.conflict.hidden = true;
    this.errors.hidden = true;
    try {
      await this.saveChanges(changes);
    } catch (error) {
      this.failed(error, false);
    }
  }

  useCurrent(current) {
    const now = E.taskValues(current, this.sprintId);
    this.fields.write(now);
    this.base = now;
    this.seen = current;
    this.version = current.version;
    this.fields.clearNotes();
    this.conflict.hidden = true;
    this.fields.focus();
  }

  forceDelete(current) {
    this.version = current.version;
    this.conflict.hidden = true;
    this.onDelete(true);
  }

  async onDelete(confirmed = false) {
    if (!this.armedDelete && !confirmed) {
      this.armedDelete = true;
      this.remove.textContent = 'Confirm delete';
      this.remove.setAttribute('aria-live', 'polite');
      return;
    }
    try {
      await api.del(`/api/tasks/${this.seen.id}/`, this.version);
      this.ctx.onDeleted(this.seen.id);
      this.close();
    } catch (error) {
      if (error.status === 404) {
        this.ctx.onDeleted(this.seen.id);
        this.close();
      } else this.failed(error, true);
    }
  }

  // --- others' changes while the form is open ---------------------------------------------

  // A task.updated / task.moved for this task (actor: the event's, {id, username}).
  remoteEdit(row, actor) {
    if (!this.editing || row.id !== this.seen.id || row.version <= this.seen.version) return;
    this.takeRemote(row, actor ? actor.username : null);
  }

  takeRemote(row, who) {
    const { base, applied, clashes } = E.mergeRemote({
      base: this.base,
      values: this.values(),
      seen: E.taskValues(this.seen, this.sprintId),
      next: E.taskValues(row, this.sprintId),
    });
    this.base = base;
    this.seen = row;
    for (const { key, value } of applied) {
      this.fields.write({ [key]: value });
      this.fields.noteChange(key, who);
    }
    // "Use theirs": the value is then not the user's change any more.
    for (const { key, value } of clashes) {
      this.fields.noteClash(key, who, value, () => (this.base = { ...this.base, [key]: value }));
    }
  }

  // Every board change re-renders: a deletion elsewhere ends the edit, a changed access
  // enables or disables the form, and a row newer than seen (a snapshot reload) shows up.
  stateChanged(state) {
    this.setReadOnly(!this.ctx.canWrite());
    if (!this.editing) return;
    const row = state.tasks[this.seen.id];
    if (!row && !this.dialog.dataset.gone) {
      this.dialog.dataset.gone = '1';
      formError(this.errors, { detail: 'This task was deleted by someone else.' });
      this.save.disabled = true;
      if (this.remove) this.remove.disabled = true;
    } else if (row && row.version > this.seen.version) this.takeRemote(row, null);
  }
}
