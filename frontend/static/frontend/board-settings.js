// Board settings, for owners: name, description and time zone (the board's days: a sprint
// cannot end before "today" there), its webhooks (webhooks-panel.js), and deleting the
// board once its name is typed. Other members see a rename at once (board.updated); a
// deleted board closes their pages (4403).

import * as api from './api.js';
import { confirmDialog, leaving } from './confirm-dialog.js';
import { withBoard, zoneChoices } from './manage-state.js';
import { openModal } from './modal.js';
import { field, h, showErrors, toast } from './ui.js';
import { webhooksPanel } from './webhooks-panel.js';

// ctx: { boardId, apply(change), navigate(path) } (board.js)
export function boardSettingsWidget(ctx) {
  let state = null;
  const button = h(
    'button',
    { type: 'button', class: 'btn', id: 'board-settings', hidden: true, onclick: () => open() },
    'Board settings',
  );

  function open() {
    openSettings(ctx, state.board, { returnFocus: () => button });
  }

  function render(next) {
    state = next;
    button.hidden = !next.can.manage;
  }

  return { root: button, render };
}

function supportedZones() {
  return typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
}

function openSettings(ctx, board, { returnFocus }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const inputs = settingsInputs(board);
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Save settings');

  async function submit(event) {
    event.preventDefault();
    showErrors(errors, inputs, null);
    save.disabled = true;
    try {
      const saved = await api.patch(`/api/boards/${ctx.boardId}/`, {
        name: inputs.name.value.trim(),
        description: inputs.description.value,
        timezone: inputs.timezone.value,
      });
      ctx.apply((s) => withBoard(s, saved));
      toast({ title: 'Board settings saved', kind: 'success' });
      dialog.close();
    } catch (error) {
      showErrors(errors, inputs, error.body);
    } finally {
      save.disabled = false;
    }
  }

  const form = h(
    'form',
    { class: 'settings-form', onsubmit: submit },
    h('h2', { id: 'settings-title' }, 'Board settings'),
    errors,
    field('Name', inputs.name),
    field('Description', inputs.description),
    field(
      'Time zone',
      inputs.timezone,
      'The board’s days: a sprint cannot end before today there.',
    ),
    h(
      'div',
      { class: 'dialog-actions' },
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'),
      save,
    ),
  );
  // Webhooks and the danger zone sit outside the settings form: each has its own actions
  // (and the webhook form cannot nest in this one).
  const dialog = h(
    'dialog',
    { class: 'settings-dialog', 'aria-labelledby': 'settings-title' },
    form,
    webhooksPanel(ctx.boardId),
    dangerZone(() => askDelete(ctx, board, dialog)),
  );
  openModal(dialog, { returnFocus });
  inputs.name.focus();
}

function settingsInputs(board) {
  const zones = zoneChoices(board.timezone, supportedZones());
  const inputs = {
    name: h('input', { name: 'name', required: true, maxlength: 100 }),
    description: h('textarea', { name: 'description', rows: 3 }),
    timezone: h(
      'select',
      { name: 'timezone' },
      zones.map((zone) => h('option', { value: zone }, zone.replaceAll('_', ' '))),
    ),
  };
  inputs.name.value = board.name;
  inputs.description.value = board.description || '';
  inputs.timezone.value = board.timezone || 'UTC';
  return inputs;
}

function dangerZone(onDelete) {
  return h(
    'section',
    { class: 'danger-zone', 'aria-labelledby': 'danger-title' },
    h('h3', { id: 'danger-title' }, 'Delete the board'),
    h('p', { class: 'muted' }, 'Every member loses it, with all its sprints and cards.'),
    h('button', { type: 'button', class: 'btn btn-danger', onclick: onDelete }, 'Delete board…'),
  );
}

// The board's name typed in full: deleting is one click away from a rename otherwise.
function askDelete(ctx, board, settings) {
  confirmDialog({
    title: `Delete “${board.name}”?`,
    text:
      'Its sprints, cards and history are deleted for every member, and their open pages ' +
      'close. This cannot be undone.',
    typed: { value: board.name, label: `Type the board's name, ${board.name}, to confirm` },
    confirm: 'Delete this board',
    run: () => leaving(ctx, () => api.del(`/api/boards/${ctx.boardId}/`)),
    done: () => {
      settings.close();
      toast({ title: `“${board.name}” was deleted`, kind: 'success' });
      ctx.navigate('/');
    },
  });
}
