// Create a sprint: name, end date (not in the past, one sprint per end date per board).

import * as api from './api.js';
import { openModal } from './modal.js';
import { field, formError, h, todayIso } from './ui.js';

export function openSprintDialog({ boardId, onSaved }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const name = h('input', { name: 'name', maxlength: 100, placeholder: 'e.g. Sprint 4' });
  const end = h('input', { name: 'end', type: 'date', required: true, min: todayIso() });
  const description = h('textarea', { name: 'description', rows: 3 });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create sprint');
  const form = h(
    'form',
    {
      class: 'sprint-form',
      onsubmit: async (event) => {
        event.preventDefault();
        errors.hidden = true;
        save.disabled = true;
        try {
          const sprint = await api.post('/api/sprints/', {
            board: boardId,
            name: name.value.trim(),
            end: end.value,
            description: description.value,
          });
          onSaved(sprint);
          dialog.close();
        } catch (error) {
          formError(errors, error.body);
        } finally {
          save.disabled = false;
        }
      },
    },
    h('h2', { id: 'sprint-dialog-title' }, 'New sprint'),
    errors,
    h('div', { class: 'row' }, field('Name', name), field('Ends on', end)),
    field('Goal / description', description),
    h(
      'div',
      { class: 'dialog-actions' },
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'),
      save,
    ),
  );
  const dialog = h(
    'dialog',
    { class: 'sprint-dialog', 'aria-labelledby': 'sprint-dialog-title' },
    form,
  );
  openModal(dialog);
  name.focus();
}
