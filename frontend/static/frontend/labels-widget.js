// The board's labels in the toolbar: everyone sees the list; writers create, rename, recolour
// and delete (with a confirmation: the label comes off every card). A widget as board.js takes
// them: {root, render(state)}. Changes are drawn from the REST answer at once (their events
// follow and change nothing more); others' changes arrive as label.* events in the state.

import * as api from './api.js';
import { cardHandlers, labelList } from './card-state.js';
import { confirmDialog } from './confirm-dialog.js';
import { colorChoice } from './label-color-choice.js';
import { colorName, paintChip, PALETTE } from './label-colors.js';
import { announce, field, h, showErrors } from './ui.js';

const NAME_MAX = 30; // the server's bound (board/services/labels.py)
const POP_WIDTH = 380; // px, as cards.css draws .labels-pop

// ctx: board.js's manage ({ boardId, apply(change), state() })
export function labelsWidget(ctx) {
  const widget = new LabelsWidget(ctx);
  return { root: widget.box, render: (state) => widget.render(state) };
}

class LabelsWidget {
  constructor(ctx) {
    this.ctx = ctx;
    this.summary = h('summary', { class: 'btn' }, 'Labels');
    this.box = h('details', { class: 'labels-box' }, this.summary);
    this.status = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.list = h('ul', { class: 'label-list', 'aria-label': 'Labels of this board' });
    this.create = this.createForm();
    this.box.append(h('div', { class: 'labels-pop panel' }, this.status, this.list, this.create));
    // The toolbar wraps, so the button may sit anywhere in its row: the popover opens
    // towards the side with room.
    this.box.addEventListener('toggle', () => {
      if (!this.box.open) return;
      const { left } = this.box.getBoundingClientRect();
      this.box.dataset.align = left + POP_WIDTH > window.innerWidth ? 'right' : 'left';
    });
    this.editing = null; // { id, name, color }: the row being edited, as typed so far
    this.key = '';
    this.state = null;
  }

  render(state) {
    this.state = state;
    const labels = labelList(state);
    if (this.editing && !state.labels[this.editing.id]) this.editing = null;
    const next = JSON.stringify([state.can.write, this.editing, labels]);
    this.create.hidden = !state.can.write;
    if (next === this.key) return;
    this.key = next;
    const active = document.activeElement;
    const focused = this.list.contains(active) && active.dataset.focusKey;
    this.list.replaceChildren(
      ...(labels.length
        ? labels.map((l) => this.row(l))
        : [h('li', { class: 'muted' }, 'No labels yet.')]),
    );
    // A row redrawn under the user's hands (their change's own event) keeps the focus.
    const again = focused && this.list.querySelector(`[data-focus-key="${focused}"]`);
    if (again) again.focus();
  }

  rerender() {
    this.key = '';
    this.render(this.state);
  }

  row(label) {
    const chip = paintChip(h('span', { class: 'label-chip' }, label.name), label.color);
    const li = h('li', { class: 'label-row', dataset: { labelId: label.id } });
    if (this.editing && this.editing.id === label.id && this.state.can.write) {
      return this.editRow(li, label);
    }
    li.append(chip);
    if (!this.state.can.write) return li;
    li.append(
      h('span', { class: 'sr-only' }, colorName(label.color)),
      h('span', { class: 'spacer' }),
      button('Edit', `Edit label ${label.name}`, `edit-${label.id}`, () => {
        this.editing = { id: label.id, name: label.name, color: label.color };
        this.rerender();
        this.list.querySelector(`[data-focus-key="name-${label.id}"]`).focus();
      }),
      button(
        'Delete',
        `Delete label ${label.name}`,
        `delete-${label.id}`,
        () => this.remove(label),
        'btn-danger',
      ),
    );
    return li;
  }

  editRow(li, label) {
    const draft = this.editing;
    const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const name = h('input', {
      name: 'name',
      required: true,
      maxlength: NAME_MAX,
      autocomplete: 'off',
      value: draft.name,
      dataset: { focusKey: `name-${label.id}` },
      oninput: () => (draft.name = name.value),
    });
    const color = colorChoice(draft.color, `label-${label.id}`);
    color.input.dataset.focusKey = `color-${label.id}`;
    color.input.addEventListener('input', () => (draft.color = color.value()));
    const save = async (event) => {
      event.preventDefault();
      const body = {};
      if (name.value.trim() !== label.name) body.name = name.value.trim();
      if (color.value() !== label.color) body.color = color.value();
      if (!Object.keys(body).length) return this.stopEditing(label.id);
      try {
        const saved = await api.patch(`/api/labels/${label.id}/`, body);
        this.ctx.apply((s) => cardHandlers['label.updated'](s, saved));
        announce(`Label ${saved.name} saved`);
        this.stopEditing(label.id);
      } catch (error) {
        showErrors(errors, { name, color: color.input }, error.body);
      }
    };
    const form = h(
      'form',
      { class: 'label-edit', onsubmit: save },
      errors,
      field(`Name of label ${label.name}`, name),
      color.root,
      h(
        'div',
        { class: 'dialog-actions' },
        h('span', { class: 'spacer' }),
        button('Cancel', null, `cancel-${label.id}`, () => this.stopEditing(label.id)),
        h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Save'),
      ),
    );
    form.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        this.stopEditing(label.id);
      }
    });
    li.append(form);
    return li;
  }

  stopEditing(id) {
    this.editing = null;
    this.rerender();
    const edit = this.list.querySelector(`[data-focus-key="edit-${id}"]`);
    if (edit) edit.focus();
  }

  remove(label) {
    const carried = Object.values(this.state.tasks).filter((t) =>
      (t.labels || []).includes(label.id),
    );
    const cards = carried.length === 1 ? '1 card' : `${carried.length} cards`;
    confirmDialog({
      title: `Delete the label “${label.name}”?`,
      text: carried.length
        ? `It comes off the ${cards} that carry it. This cannot be undone.`
        : 'No card carries it. This cannot be undone.',
      confirm: 'Delete label',
      run: () => api.del(`/api/labels/${label.id}/`),
      done: () => {
        const data = { id: label.id, tasks: carried.map((t) => t.id) };
        this.ctx.apply((s) => cardHandlers['label.deleted'](s, data));
        announce(`Label ${label.name} deleted`);
      },
      returnFocus: () => this.summary,
    });
  }

  createForm() {
    const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const name = h('input', {
      name: 'name',
      required: true,
      maxlength: NAME_MAX,
      autocomplete: 'off',
      placeholder: 'Bug, UX, Blocked…',
    });
    const color = colorChoice(PALETTE[4].color, 'label-new');
    const submit = h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Add label');
    return h(
      'form',
      {
        class: 'label-create',
        onsubmit: async (event) => {
          event.preventDefault();
          showErrors(errors, { name, color: color.input }, null);
          submit.disabled = true;
          try {
            const body = { name: name.value.trim(), color: color.value() };
            const label = await api.post(`/api/boards/${this.ctx.boardId}/labels/`, body);
            this.ctx.apply((s) => cardHandlers['label.created'](s, label));
            announce(`Label ${label.name} added`);
            name.value = '';
            name.focus();
          } catch (error) {
            showErrors(errors, { name, color: color.input }, error.body);
          } finally {
            submit.disabled = false;
          }
        },
      },
      h('h3', { class: 'label-create-title' }, 'New label'),
      errors,
      field('Label name', name),
      color.root,
      h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), submit),
    );
  }
}

function button(text, label, focusKey, onclick, extra = '') {
  return h(
    'button',
    {
      type: 'button',
      class: `btn btn-small ${extra}`.trim(),
      'aria-label': label,
      dataset: { focusKey },
      onclick,
    },
    text,
  );
}
