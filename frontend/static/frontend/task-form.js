// The task dialog's form as DOM: title, the error box and the conflict panel at the top, the
// fields (task-fields.js), and the actions. No behaviour: task-dialog.js wires it.

import { h } from './ui.js';

// fields: a TaskFields; on: { submit(), remove() (null: no Delete), cancel() }
// -> { form, errors, conflict, save, remove }
export function taskForm(fields, { editing, on }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const conflict = h('section', {
    class: 'conflict',
    role: 'alert',
    hidden: true,
    'aria-labelledby': 'conflict-title',
  });
  const save = h(
    'button',
    { type: 'submit', class: 'btn btn-primary' },
    editing ? 'Save changes' : 'Create task',
  );
  const remove = editing
    ? h('button', { type: 'button', class: 'btn btn-danger', onclick: on.remove }, 'Delete')
    : null;
  const cancel = h('button', { type: 'button', class: 'btn', onclick: on.cancel }, 'Cancel');
  const noted = (label, key) => fields.field(label, key);
  const form = h(
    'form',
    {
      method: 'dialog',
      class: 'task-form',
      onsubmit: (event) => {
        event.preventDefault();
        on.submit();
      },
    },
    h('h2', { id: 'task-dialog-title' }, editing ? 'Edit task' : 'New task'),
    errors,
    conflict,
    noted('Name', 'name'),
    noted('Description', 'description'),
    h(
      'div',
      { class: 'row row-top' },
      noted('Assignee', 'assigned'),
      noted('Due', 'due'),
      noted('Points', 'points'),
      noted('Column', 'column'),
    ),
    noted('Labels', 'labels'),
    h('div', { class: 'dialog-actions' }, remove, h('span', { class: 'spacer' }), cancel, save),
  );
  return { form, errors, conflict, save, remove };
}
