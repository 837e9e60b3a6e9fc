// The card's checklist in the task dialog (SPEC section 12): its items in order, ticked or
// not, with the progress ("3/5" and a bar). Writers add, tick, edit, delete and move items
// (up and down buttons: the keyboard's way to reorder, sent as before/after like a card's
// move). Others' changes arrive as checklist_item.* events (events(applied)) and are folded
// by checklist-state.js; our own answers are folded the same way, so the echo changes nothing.

import * as api from './api.js';
import * as C from './checklist-state.js';
import { announce, h, showErrors } from './ui.js';

const TEXT_MAX = 200; // the server's bound (SPEC section 12)

export function checklistSection(ctx) {
  return new ChecklistSection(ctx).start();
}

class ChecklistSection {
  constructor(ctx) {
    this.ctx = ctx;
    this.taskId = ctx.task.id;
    this.items = null; // null until the list has loaded; events meanwhile wait in `early`
    this.early = [];
    this.editing = null; // { id, text }: the item whose text is being edited, as typed
    this.closed = false;
    const title = `checklist-${this.taskId}-title`;
    this.count = h('span', { class: 'checklist-count', 'aria-hidden': 'true' });
    this.spoken = h('span', { class: 'sr-only' });
    this.bar = h('progress', { class: 'checklist-bar', max: 1, value: 0, 'aria-hidden': 'true' });
    this.errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.list = h('ul', { class: 'checklist', 'aria-labelledby': title });
    this.add = this.addForm();
    this.root = h(
      'section',
      { class: 'card-section card-checklist', 'aria-labelledby': title },
      h(
        'div',
        { class: 'checklist-head' },
        h('h3', { id: title }, 'Checklist'),
        this.count,
        this.spoken,
        this.bar,
      ),
      this.errors,
      this.list,
      this.add,
    );
  }

  start() {
    this.load();
    this.draw();
    return {
      root: this.root,
      update: () => this.draw(),
      events: (applied) => this.events(applied),
      close: () => (this.closed = true),
    };
  }

  async load() {
    try {
      const rows = await api.getAll(`/api/tasks/${this.taskId}/checklist/`);
      if (this.closed) return;
      let items = C.itemsFrom(rows);
      // Events that came while the list loaded: each is applied or found already in it.
      for (const event of this.early.splice(0)) items = C.applyItemEvent(items, event, this.taskId);
      this.items = items;
    } catch (error) {
      showErrors(this.errors, {}, error.body || { detail: 'The checklist could not be loaded.' });
    }
    this.draw();
  }

  events(applied) {
    const mine = applied.filter(
      (e) => e.name.startsWith('checklist_item.') && e.data.task === this.taskId,
    );
    if (!mine.length) return;
    if (this.items === null) return this.early.push(...mine);
    for (const event of mine) this.items = C.applyItemEvent(this.items, event, this.taskId);
    if (this.editing && !this.items[this.editing.id]) this.editing = null;
    this.draw();
  }

  // Our own write's answer: the same fold as an event of it.
  took(name, data) {
    if (this.items === null) return;
    this.items = C.applyItemEvent(
      this.items,
      { name, data: { task: this.taskId, ...data } },
      this.taskId,
    );
    this.draw();
  }

  task() {
    return this.ctx.state().tasks[this.taskId] || this.ctx.task;
  }

  draw() {
    const progress = C.progressOf(this.items === null ? this.task() : this.items);
    this.count.textContent = progress.total ? progress.text : '';
    this.spoken.textContent = progress.total ? C.progressSpoken(progress) : 'No items yet';
    this.bar.max = Math.max(progress.total, 1);
    this.bar.value = progress.done;
    this.bar.hidden = !progress.total;
    this.add.hidden = !this.ctx.canWrite();
    if (this.items === null) {
      this.list.replaceChildren(h('li', { class: 'muted' }, 'Loading the checklist…'));
      return;
    }
    const active = document.activeElement;
    const focused = this.list.contains(active) ? active.dataset.focusKey : null;
    const caret =
      focused && active.tagName === 'INPUT' && active.type === 'text'
        ? active.selectionStart
        : null;
    const rows = C.sortedItems(this.items);
    this.list.replaceChildren(...rows.map((item, i) => this.row(item, i, rows.length)));
    if (!rows.length)
      this.list.append(h('li', { class: 'muted checklist-empty' }, 'No items yet.'));
    const again = focused && this.list.querySelector(`[data-focus-key="${focused}"]`);
    if (again) {
      again.focus();
      if (caret !== null) again.setSelectionRange(caret, caret);
    }
  }

  row(item, index, count) {
    const write = this.ctx.canWrite();
    const li = h('li', {
      class: `checklist-item${item.done ? ' done' : ''}`,
      dataset: { itemId: item.id },
    });
    if (write && this.editing && this.editing.id === item.id) return this.editRow(li, item);
    const id = `ci-${item.id}`;
    const box = h('input', {
      type: 'checkbox',
      id,
      checked: item.done,
      disabled: !write,
      dataset: { focusKey: `done-${item.id}` },
      onchange: () => this.write(item, { done: box.checked }),
    });
    li.append(box, h('label', { for: id, class: 'checklist-text' }, item.text));
    if (!write) return li;
    const said = `“${item.text}”`;
    li.append(
      h(
        'span',
        { class: 'checklist-actions' },
        tool('✎', `Edit ${said}`, `edit-${item.id}`, () => {
          this.editing = { id: item.id, text: item.text };
          this.draw();
          this.list.querySelector(`[data-focus-key="text-${item.id}"]`).focus();
        }),
        tool('↑', `Move ${said} up`, `up-${item.id}`, () => this.move(item, 'up'), index === 0),
        tool(
          '↓',
          `Move ${said} down`,
          `down-${item.id}`,
          () => this.move(item, 'down'),
          index === count - 1,
        ),
        tool('×', `Delete ${said}`, `delete-${item.id}`, () => this.remove(item)),
      ),
    );
    return li;
  }

  editRow(li, item) {
    const draft = this.editing;
    const input = h('input', {
      type: 'text',
      name: 'text',
      required: true,
      maxlength: TEXT_MAX,
      value: draft.text,
      'aria-label': `Text of “${item.text}”`,
      dataset: { focusKey: `text-${item.id}` },
      oninput: () => (draft.text = input.value),
      onkeydown: (event) => {
        if (event.key !== 'Escape') return;
        // Escape ends the edit, not the dialog.
        event.preventDefault();
        event.stopPropagation();
        this.stopEditing(item.id);
      },
    });
    const form = h(
      'form',
      {
        class: 'checklist-edit',
        onsubmit: (event) => {
          event.preventDefault();
          const text = input.value.trim();
          if (text === item.text) return this.stopEditing(item.id);
          this.write(item, { text, version: item.version }).then(
            (ok) => ok && this.stopEditing(item.id),
          );
        },
      },
      input,
      h('button', { type: 'submit', class: 'btn btn-small btn-primary' }, 'Save'),
      h(
        'button',
        { type: 'button', class: 'btn btn-small', onclick: () => this.stopEditing(item.id) },
        'Cancel',
      ),
    );
    li.append(form);
    return li;
  }

  stopEditing(id) {
    this.editing = null;
    this.draw();
    const edit = this.list.querySelector(`[data-focus-key="edit-${id}"]`);
    if (edit) edit.focus();
  }

  // A PATCH of one item; the answer is folded in. Returns whether it went through.
  async write(item, body) {
    showErrors(this.errors, {}, null);
    try {
      const saved = await api.patch(`/api/checklist-items/${item.id}/`, body);
      this.took('checklist_item.updated', saved);
      return true;
    } catch (error) {
      const current = error.body && error.body.current;
      if (current && current.id) this.took('checklist_item.updated', current);
      else this.draw(); // a refused tick goes back to what the server has
      showErrors(this.errors, {}, error.body || { detail: error.message });
      return false;
    }
  }

  async move(item, direction) {
    const anchor = C.moveBody(this.items, item.id, direction);
    if (!anchor) return;
    if (await this.write(item, anchor)) announce(`Moved “${item.text}” ${direction}`);
  }

  async remove(item) {
    showErrors(this.errors, {}, null);
    const rows = C.sortedItems(this.items);
    const next = rows[rows.indexOf(rows.find((r) => r.id === item.id)) + 1] || null;
    try {
      await api.del(`/api/checklist-items/${item.id}/`);
      this.took('checklist_item.deleted', { id: item.id });
      announce(`Deleted “${item.text}”`);
      const target = next && this.list.querySelector(`[data-focus-key="done-${next.id}"]`);
      (target || this.add.querySelector('input')).focus();
    } catch (error) {
      showErrors(this.errors, {}, error.body || { detail: error.message });
    }
  }

  addForm() {
    const input = h('input', {
      type: 'text',
      name: 'text',
      required: true,
      maxlength: TEXT_MAX,
      autocomplete: 'off',
      'aria-label': 'New checklist item',
      placeholder: 'Add an item',
    });
    const submit = h('button', { type: 'submit', class: 'btn btn-small' }, 'Add');
    return h(
      'form',
      {
        class: 'checklist-add',
        onsubmit: async (event) => {
          event.preventDefault();
          showErrors(this.errors, { text: input }, null);
          const text = input.value.trim();
          if (!text) return;
          submit.disabled = true;
          try {
            const rows = this.items ? C.sortedItems(this.items) : [];
            const at = rows.length ? { after: rows[rows.length - 1].id } : {};
            const saved = await api.post(`/api/tasks/${this.taskId}/checklist/`, {
              text,
              done: false,
              ...at,
            });
            this.took('checklist_item.created', saved);
            input.value = '';
          } catch (error) {
            showErrors(this.errors, { text: input }, error.body || { detail: error.message });
          } finally {
            submit.disabled = false;
            input.focus();
          }
        },
      },
      input,
      submit,
    );
  }
}

// An icon button with a spoken name; `off` (at either end of the list) keeps it focusable,
// so the focus stays on it after the item moved to the end.
function tool(icon, label, focusKey, onclick, off = false) {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn-icon checklist-tool',
      'aria-label': label,
      title: label,
      'aria-disabled': off ? 'true' : null,
      dataset: { focusKey },
      onclick: () => {
        if (!off) onclick();
      },
    },
    icon,
  );
}
