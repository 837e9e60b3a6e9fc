// Create, edit and delete a task in a modal dialog. Edits carry the version the form was
// opened with; a 409 shows what the task looks like now, next to what the user typed.

import * as api from './api.js';
import { columnOf, columnsFor, conflictRows } from './state.js';
import { field, formError, h } from './ui.js';

// ctx: { boardId, state(), sprintId(), canWrite(), onSaved(task), onDeleted(id), onFocus(id|null) }
export function openTaskDialog(ctx, { taskId = null, column = null } = {}) {
  const editing = taskId != null ? ctx.state().tasks[taskId] : null;
  const sprintId = editing && editing.sprint != null ? editing.sprint : ctx.sprintId();
  const columns = columnsFor(sprintId);
  let version = editing ? editing.version : null;
  let armedDelete = false;

  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const conflict = h('section', { class: 'conflict', role: 'alert', hidden: true, 'aria-labelledby': 'conflict-title' });
  const name = h('input', { name: 'name', required: true, maxlength: 100, value: editing ? editing.name : '' });
  const description = h('textarea', { name: 'description', rows: 4 }, editing ? editing.description : '');
  const assigned = h(
    'select',
    { name: 'assigned' },
    h('option', { value: '' }, 'Unassigned'),
    ctx.state().members.map((m) => h('option', { value: m.user.username }, m.user.full_name ? `${m.user.full_name} (${m.user.username})` : m.user.username)),
  );
  assigned.value = editing && editing.assigned ? editing.assigned : '';
  const due = h('input', { name: 'due', type: 'date', value: editing && editing.due ? editing.due : '' });
  const startKey = editing ? columnOf(editing, sprintId) : column ? column.key : 'backlog';
  const where = h('select', { name: 'column' }, columns.map((c) => h('option', { value: c.key }, c.title)));
  where.value = startKey || 'backlog';

  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, editing ? 'Save changes' : 'Create task');
  const cancel = h('button', { type: 'button', class: 'btn', onclick: () => close() }, 'Cancel');
  const remove = editing
    ? h('button', { type: 'button', class: 'btn btn-danger', onclick: () => onDelete() }, 'Delete')
    : null;
  const readOnly = !ctx.canWrite();

  const form = h(
    'form',
    { method: 'dialog', class: 'task-form', onsubmit: (e) => { e.preventDefault(); submit(); } },
    h('h2', { id: 'task-dialog-title' }, editing ? 'Edit task' : 'New task'),
    errors,
    conflict,
    field('Name', name),
    field('Description', description),
    h('div', { class: 'row' }, field('Assignee', assigned), field('Due', due), field('Column', where)),
    h('div', { class: 'dialog-actions' }, remove, h('span', { class: 'spacer' }), cancel, readOnly ? null : save),
  );
  if (readOnly) form.querySelectorAll('input, textarea, select').forEach((el) => (el.disabled = true));
  if (readOnly && remove) remove.hidden = true;

  const dialog = h('dialog', { class: 'task-dialog', 'aria-labelledby': 'task-dialog-title' }, form);
  dialog.addEventListener('close', () => {
    dialog.remove();
    ctx.onFocus(null);
  });
  document.body.append(dialog);
  dialog.showModal();
  name.focus();
  if (editing) ctx.onFocus(editing.id);

  function close() {
    dialog.close();
  }

  function values() {
    return {
      name: name.value.trim(),
      description: description.value,
      assigned: assigned.value || null,
      due: due.value || null,
    };
  }

  async function submit(force = false) {
    errors.hidden = true;
    save.disabled = true;
    const target = columns.find((c) => c.key === where.value) || columns[0];
    try {
      if (!editing) {
        const task = await api.post('/api/tasks/', {
          board: ctx.boardId,
          sprint: target.sprint,
          status: target.status,
          ...values(),
        });
        ctx.onSaved(task);
        return close();
      }
      let task = await api.patch(`/api/tasks/${editing.id}/`, { ...values(), version });
      if (columnOf(task, sprintId) !== target.key) {
        task = await api.post(`/api/tasks/${editing.id}/move/`, {
          sprint: target.sprint,
          status: target.status,
          version: task.version,
        });
      }
      ctx.onSaved(task);
      close();
    } catch (error) {
      if (error.status === 409) showConflict(error.body, force);
      else formError(errors, error.body);
    } finally {
      save.disabled = false;
    }
  }

  function showConflict(body, afterDelete = false) {
    const current = body.current || {};
    const mine = afterDelete ? {} : values();
    const rows = conflictRows(mine, current);
    conflict.replaceChildren(
      h('h3', { id: 'conflict-title' }, 'Someone else changed this task'),
      h('p', {}, body.detail || 'Review the current values and try again.'),
      h(
        'table',
        { class: 'conflict-table' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Field'), h('th', { scope: 'col' }, 'Yours'), h('th', { scope: 'col' }, 'Now'))),
        h(
          'tbody',
          {},
          rows.map((r) =>
            h('tr', { class: r.differs ? 'differs' : '' }, h('th', { scope: 'row' }, r.label), h('td', {}, show(r.mine)), h('td', { class: 'current-value' }, show(r.current))),
          ),
        ),
      ),
      h(
        'div',
        { class: 'conflict-actions' },
        h('button', { type: 'button', class: 'btn', onclick: () => useCurrent(current) }, 'Use current values'),
        h('button', { type: 'button', class: 'btn btn-primary', onclick: () => { version = current.version; conflict.hidden = true; afterDelete ? onDelete(true) : submit(true); } }, afterDelete ? 'Delete anyway' : 'Save mine anyway'),
      ),
    );
    conflict.hidden = false;
    conflict.scrollIntoView({ block: 'nearest' });
  }

  function useCurrent(current) {
    name.value = current.name;
    description.value = current.description || '';
    assigned.value = current.assigned || '';
    due.value = current.due || '';
    where.value = columnOf(current, sprintId) || where.value;
    version = current.version;
    conflict.hidden = true;
    name.focus();
  }

  async function onDelete(confirmed = false) {
    if (!armedDelete && !confirmed) {
      armedDelete = true;
      remove.textContent = 'Confirm delete';
      remove.setAttribute('aria-live', 'polite');
      return;
    }
    try {
      await api.del(`/api/tasks/${editing.id}/`, version);
      ctx.onDeleted(editing.id);
      close();
    } catch (error) {
      if (error.status === 409) showConflict(error.body, true);
      else if (error.status === 404) {
        ctx.onDeleted(editing.id);
        close();
      } else formError(errors, error.body);
    }
  }

  // Live changes while the dialog is open: the form keeps the user's text (that is what
  // a conflict is about), but a deletion elsewhere ends the edit.
  return {
    taskId: editing ? editing.id : null,
    stateChanged(state) {
      if (editing && !state.tasks[editing.id] && !dialog.dataset.gone) {
        dialog.dataset.gone = '1';
        formError(errors, { detail: 'This task was deleted by someone else.' });
        save.disabled = true;
        if (remove) remove.disabled = true;
      }
    },
    close,
    get open() {
      return dialog.open;
    },
  };
}

function show(value) {
  return value == null || value === '' ? '—' : String(value);
}
