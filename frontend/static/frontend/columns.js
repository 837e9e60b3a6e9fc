// The five columns and their cards, with drag and drop (HTML5) and keyboard moves
// (Alt+Arrow on a focused card). Moves go to the server; the board changes when the
// response or the event comes back, so every screen shows the same order. The DOM of a
// column and its cards is cards.js.

import { columnView, updateOpenButton } from './cards.js';
import { columnsFor, columnTasks, dropAnchor, keyboardMove } from './state.js';
import { h, todayIso } from './ui.js';

const KEYS = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

// on: { onOpen(id), onAdd(column), onMove(id, body), onFocusTask(id|null), canWrite() }
export function createColumns(on) {
  return new Columns(on);
}

class Columns {
  constructor(on) {
    this.on = on;
    this.root = h('div', { class: 'columns' });
    this.dragged = null;
    this.deferred = null;
    this.current = null;
    this.highlight = null; // the card a ?task= link pointed at, kept across re-renders
    this.buttons = new Map(); // task id -> its card's open button (cards.js updateOpenButton)
    this.listenForDrags();
    this.listenForKeys();
  }

  render(state, sprintId, presence) {
    this.current = { state, sprintId, presence };
    // Replacing the dragged element mid-drag cancels the drag: wait for dragend.
    if (this.dragged !== null) {
      this.deferred = this.current;
      return;
    }
    const { root } = this;
    const active = document.activeElement;
    const focused = active && active.closest ? active.closest('.card') : null;
    const focusId = focused && root.contains(focused) ? focused.dataset.taskId : null;
    const canWrite = this.on.canWrite();
    const opts = {
      state,
      presence,
      today: todayIso(),
      canWrite,
      highlight: this.highlight,
      onAdd: this.on.onAdd,
      openButton: (task) => updateOpenButton(this.openButton(task.id), task, canWrite),
    };
    root.replaceChildren(...columnsFor(sprintId).map((col) => columnView(col, opts)));
    for (const id of this.buttons.keys()) if (!state.tasks[id]) this.buttons.delete(id);
    if (sprintId == null) {
      const text = 'No sprint yet. Create one to plan its work in columns.';
      root.append(h('div', { class: 'column column-empty panel' }, h('p', {}, text)));
    }
    if (focusId) {
      const again = root.querySelector(`.card[data-task-id="${focusId}"] .card-open`);
      if (again) again.focus({ preventScroll: false });
    }
  }

  openButton(taskId) {
    if (!this.buttons.has(taskId)) {
      const open = () => this.on.onOpen(taskId);
      this.buttons.set(taskId, h('button', { type: 'button', class: 'card-open', onclick: open }));
    }
    return this.buttons.get(taskId);
  }

  rerender() {
    const { state, sprintId, presence } = this.current;
    this.render(state, sprintId, presence);
  }

  setHighlight(taskId) {
    this.highlight = taskId;
    if (this.current) this.rerender();
  }

  // --- drag and drop -------------------------------------------------------------------

  otherCards(list) {
    return [...list.querySelectorAll('.card')].filter(
      (c) => Number(c.dataset.taskId) !== this.dragged,
    );
  }

  dropIndex(list, y) {
    const after = this.otherCards(list).findIndex((c) => {
      const box = c.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    return after < 0 ? this.otherCards(list).length : after;
  }

  clearMarks() {
    this.root.querySelectorAll('.drop-target').forEach((el) => el.classList.remove('drop-target'));
    this.root.querySelectorAll('.drop-line').forEach((el) => el.remove());
  }

  listenForDrags() {
    const { root } = this;
    root.addEventListener('dragstart', (event) => this.dragStart(event));
    root.addEventListener('dragover', (event) => this.dragOver(event));
    root.addEventListener('dragleave', (event) => {
      if (!root.contains(event.relatedTarget)) this.clearMarks();
    });
    root.addEventListener('drop', (event) => this.drop(event));
    root.addEventListener('dragend', () => this.finishDrag());
  }

  dragStart(event) {
    const el = event.target.closest && event.target.closest('.card');
    if (!el || !this.on.canWrite()) return;
    this.dragged = Number(el.dataset.taskId);
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', String(this.dragged));
    el.classList.add('dragging');
  }

  dragOver(event) {
    const list = event.target.closest && event.target.closest('.column');
    if (this.dragged === null || !list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const cards = list.querySelector('.cards');
    this.clearMarks();
    list.classList.add('drop-target');
    const index = this.dropIndex(cards, event.clientY);
    const others = this.otherCards(cards);
    const line = h('li', { class: 'drop-line', 'aria-hidden': 'true' });
    if (others[index]) cards.insertBefore(line, others[index]);
    else cards.append(line);
  }

  drop(event) {
    const col = event.target.closest && event.target.closest('.column');
    const { current } = this;
    if (this.dragged === null || !col || !current) return;
    event.preventDefault();
    const target = columnsFor(current.sprintId).find((c) => c.key === col.dataset.column);
    const index = this.dropIndex(col.querySelector('.cards'), event.clientY);
    const ids = columnTasks(current.state, target).map((t) => t.id);
    const taskId = this.dragged;
    const anchor = dropAnchor(ids, taskId, index);
    const unchanged = ids.includes(taskId) && sameSpot(ids, taskId, anchor);
    this.finishDrag();
    if (!unchanged)
      this.on.onMove(taskId, { sprint: target.sprint, status: target.status, ...anchor });
  }

  finishDrag() {
    if (this.dragged === null) return;
    this.dragged = null;
    this.clearMarks();
    this.root.querySelectorAll('.dragging').forEach((el) => el.classList.remove('dragging'));
    if (this.deferred) {
      this.deferred = null;
      this.rerender();
    }
  }

  // --- keyboard and focus ----------------------------------------------------------------

  listenForKeys() {
    const { root, on } = this;
    root.addEventListener('keydown', (event) => {
      const direction = KEYS[event.key];
      const el = event.target.closest && event.target.closest('.card');
      if (!direction || !event.altKey || !el || !this.current || !on.canWrite()) return;
      event.preventDefault();
      const taskId = Number(el.dataset.taskId);
      const body = keyboardMove(this.current.state, this.current.sprintId, taskId, direction);
      if (body) on.onMove(taskId, body);
    });
    root.addEventListener('focusin', (event) => {
      const el = event.target.closest && event.target.closest('.card');
      on.onFocusTask(el ? Number(el.dataset.taskId) : null);
    });
    root.addEventListener('focusout', (event) => {
      if (!root.contains(event.relatedTarget)) on.onFocusTask(null);
    });
  }
}

// Dropping a card right where it already is should not cost a request.
function sameSpot(ids, taskId, anchor) {
  const at = ids.indexOf(taskId);
  if ('before' in anchor) return ids[at + 1] === anchor.before;
  if ('after' in anchor) return ids[at - 1] === anchor.after;
  return true;
}
