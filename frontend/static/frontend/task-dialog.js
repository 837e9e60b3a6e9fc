// Create, edit and delete a task in a modal dialog. An edit sends only the fields the user
// changed, with the version the form was opened with, so it never reverts a field someone
// else saved meanwhile; their changes show up in the open form as they arrive; a 409 shows
// the task as it is now next to the user's changes (the rules: task-edit.js). Writes go
// through the page's unsaved-change queue (ctx.submit): one that cannot reach the server
// waits there and the dialog closes; one the server refuses comes back here, its messages
// under their fields. A queued edit refused later reopens here with its conflict (`queued`).

import { renderConflict } from './conflict-panel.js';
import { editingSentence, editorsOf } from './focus.js';
import { columnsFor, displayName } from './state.js';
import { openModal } from './modal.js';
import * as E from './task-edit.js';
import { TaskFields } from './task-fields.js';
import { taskForm } from './task-form.js';
import { h } from './ui.js';

// ctx: { boardId, state(), sprintId(), canWrite(), submit(change) (board-writes.js),
//        onSaved(task), onDeleted(id), onFocus(id|null), onResolved?() (a queued edit's
//        conflict was settled here), me() (the user's id), sections? (factories below the
//        fields of an existing card: card-sections.js), presence?() (the board's presence
//        rows, for who else is editing this card) }
// queued: a queued edit the server refused with 409 (outbox.js entry), to review.
// Returns { taskId, open, stateChanged(state), remoteEdit(row, actor), events(applied),
//           adopt(taskId, row), presenceChanged(users), close() }.
export function openTaskDialog(ctx, { taskId = null, column = null, queued = null } = {}) {
  return new TaskDialog(ctx, { taskId, column, queued }).show();
}

const EMPTY = { name: '', description: '', assigned: '', due: '', labels: '' };

class TaskDialog {
  constructor(ctx, { taskId, column, queued }) {
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
    this.queued = task ? queued : null;
    let values = this.opened;
    if (this.queued) {
      // The form as the user left it: their changes on the values they were made on.
      this.opened = { ...this.opened, ...this.queued.before };
      this.base = { ...this.opened };
      this.version = this.queued.version;
      values = { ...this.opened, ...E.queuedChanges(this.queued) };
    }
    this.fields = new TaskFields(ctx.state().members, this.columns, values, ctx.state().labels);
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
    this.mountSections();
    this.setReadOnly(!this.ctx.canWrite());
    this.presenceChanged(this.ctx.presence ? this.ctx.presence() : []);
    openModal(this.dialog);
    this.fields.focus();
    if (this.editing) this.ctx.onFocus(this.seen.id);
    if (this.queued) this.showConflict(this.queued.error.body);
    return this;
  }

  buildForm() {
    const { form, ...controls } = taskForm(this.fields, {
      editing: this.editing,
      on: {
        submit: () => this.submit(),
        remove: () => this.onDelete(),
        cancel: () => this.close(),
      },
    });
    // this.errors, this.conflict, this.save, this.remove
    Object.assign(this, controls);
    // Said before a conflict happens: a save now may clash with theirs. The live region stays
    // in the page, empty, so a banner appearing in it is announced.
    this.editors = h('div', { class: 'editing-status', role: 'status' });
    form.querySelector('h2').after(this.editors);
    return form;
  }

  // Checklist, comments, activity, watching: parts of an existing card with their own
  // requests, each told of newer rows and of the board's events while the dialog is open.
  mountSections() {
    this.sections = [];
    if (!this.editing) return;
    const ctx = {
      task: this.seen,
      boardId: this.ctx.boardId,
      state: this.ctx.state,
      canWrite: this.ctx.canWrite,
      me: this.ctx.me || (() => null),
      close: () => this.close(),
    };
    for (const make of this.ctx.sections || []) {
      const section = make(ctx);
      if (section) this.sections.push(section);
    }
    if (!this.sections.length) return;
    const box = h('div', { class: 'card-sections' }, ...this.sections.map((x) => x.root));
    this.dialog.append(box);
    this.dialog.addEventListener('close', () => {
      for (const section of this.sections) if (section.close) section.close();
    });
  }

  // The board's events just applied (board.js), for the sections.
  events(applied) {
    for (const section of this.sections) if (section.events) section.events(applied);
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
    this.fields.showErrors(this.errors, null);
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
    // The fields went in before the column was refused: the form builds on that row.
    if (error.saved) this.savedOwn(error.saved);
    if (error.status === 409) this.showConflict(error.body, afterDelete);
    else this.fields.showErrors(this.errors, error.body || { detail: error.message });
  }

  async create() {
    const { column, ...values } = this.values();
    const target = this.target(column);
    const body = {
      board: this.ctx.boardId,
      sprint: target.sprint,
      status: target.status,
      ...E.patchBody(values),
    };
    const result = await this.ctx.submit({ kind: 'create', body, name: values.name });
    if (result.saved) this.ctx.onSaved(result.saved);
    this.close();
  }

  // Only `changes` go out, with the version they build on: the PATCH for the fields, then
  // the move for a column (outbox-runner.js sends both, the move on the PATCH's version).
  async saveChanges(changes) {
    const { column, ...fields } = changes;
    if (!Object.keys(E.patchBody(fields)).length && !column) return this.close();
    const target = column ? this.target(column) : null;
    const result = await this.ctx.submit({
      kind: 'edit',
      taskId: this.seen.id,
      fields,
      column: column || null,
      move: target ? { sprint: target.sprint, status: target.status } : null,
      version: this.version,
      before: { ...this.base },
      name: fields.name || this.seen.name,
    });
    if (result.saved) this.ctx.onSaved(result.saved);
    this.resolved();
    this.close();
  }

  // A reviewed queued edit is settled: saved from here, or the user took the current values.
  resolved() {
    if (this.queued && this.ctx.onResolved) this.ctx.onResolved();
    this.queued = null;
  }

  // The conflict panel goes away with the focus on one of its buttons: focus moves first,
  // or a keyboard user would be left on <body>.
  hideConflict(next) {
    if (this.conflict.contains(document.activeElement)) next.focus();
    this.conflict.hidden = true;
  }

  // A change of the user's own to this task was saved while the form was open on it (a
  // move still on its way when the card was opened, a queued create that now has its real
  // id): the form showed it already, and goes on from the server's version of it.
  adopt(taskId, row) {
    if (!this.editing || this.seen.id !== taskId) return;
    this.seen = row;
    this.version = row.version;
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
    this.hideConflict(this.save);
    this.fields.showErrors(this.errors, null);
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
    this.hideConflict(this.fields.inputs.name);
    this.fields.focus();
    this.resolved();
  }

  forceDelete(current) {
    this.version = current.version;
    this.hideConflict(this.remove);
    this.onDelete(true);
  }

  async onDelete(confirmed = false) {
    if (!this.armedDelete && !confirmed) {
      this.armedDelete = true;
      this.remove.textContent = 'Confirm delete';
      this.remove.setAttribute('aria-live', 'polite');
      return;
    }
    const { id, name } = this.seen;
    try {
      // A delete that waits in the queue leaves the real board alone until it is sent.
      const result = await this.ctx.submit({
        kind: 'delete',
        taskId: id,
        version: this.version,
        name,
      });
      if ('saved' in result) this.ctx.onDeleted(id);
      this.close();
    } catch (error) {
      this.failed(error, true);
    }
  }

  // --- others' changes while the form is open ---------------------------------------------

  // Who else has this card open to edit (presence rows, board.js on every change).
  presenceChanged(users) {
    if (!this.editors) return;
    const me = this.ctx.me ? this.ctx.me() : null;
    const state = this.ctx.state();
    const nameOf = (u) => u.full_name || displayName(state, u.username);
    const text = editingSentence(editorsOf(users, this.taskId, me, nameOf));
    if (this.editors.textContent === text) return;
    const banner = text ? h('p', { class: 'notice editing-banner' }, text) : null;
    this.editors.replaceChildren(...(banner ? [banner] : []));
  }

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
    this.fields.setLabels(state.labels);
    if (!this.editing) return;
    const row = state.tasks[this.seen.id];
    if (!row && !this.dialog.dataset.gone) {
      this.dialog.dataset.gone = '1';
      this.fields.showErrors(this.errors, { detail: 'This task was deleted by someone else.' });
      this.save.disabled = true;
      if (this.remove) this.remove.disabled = true;
    } else if (row && row.version > this.seen.version) this.takeRemote(row, null);
    for (const section of this.sections) if (row && section.update) section.update(row, state);
  }
}
