// Drag and drop of cards (HTML5) for columns.js: where a drop lands is computed from the
// cards the user sees (a filter may hide some), and the move goes to the server.

import { columnsFor, dropAnchor, visibleTasks } from './state.js';
import { h } from './ui.js';

export class DragDrop {
  // columns: the Columns instance (its root, current view, on.onMove, rerender()).
  constructor(columns) {
    this.columns = columns;
    this.dragged = null;
    this.deferred = false;
    const { root } = columns;
    root.addEventListener('dragstart', (event) => this.dragStart(event));
    root.addEventListener('dragover', (event) => this.dragOver(event));
    root.addEventListener('dragleave', (event) => {
      if (!root.contains(event.relatedTarget)) this.clearMarks();
    });
    root.addEventListener('drop', (event) => this.drop(event));
    root.addEventListener('dragend', () => this.finish());
  }

  // Replacing the dragged element mid-drag cancels the drag: renders wait for dragend.
  holdRender() {
    if (this.dragged === null) return false;
    this.deferred = true;
    return true;
  }

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
    const { root } = this.columns;
    root.querySelectorAll('.drop-target').forEach((el) => el.classList.remove('drop-target'));
    root.querySelectorAll('.drop-line').forEach((el) => el.remove());
  }

  dragStart(event) {
    const el = event.target.closest && event.target.closest('.card');
    if (!el || !this.columns.on.canWrite()) return;
    this.dragged = Number(el.dataset.taskId);
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', String(this.dragged));
    el.classList.add('dragging');
  }

  dragOver(event) {
    const col = event.target.closest && event.target.closest('.column[data-column]');
    if (this.dragged === null || !col) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const cards = col.querySelector('.cards');
    this.clearMarks();
    col.classList.add('drop-target');
    const index = this.dropIndex(cards, event.clientY);
    const others = this.otherCards(cards);
    const line = h('li', { class: 'drop-line', 'aria-hidden': 'true' });
    if (others[index]) cards.insertBefore(line, others[index]);
    else cards.append(line);
  }

  drop(event) {
    const col = event.target.closest && event.target.closest('.column[data-column]');
    const { current } = this.columns;
    if (this.dragged === null || !col || !current) return;
    event.preventDefault();
    const target = columnsFor(current.sprintId).find((c) => c.key === col.dataset.column);
    const index = this.dropIndex(col.querySelector('.cards'), event.clientY);
    // The anchor is a card the user sees next to the drop, so hidden ones do not shift it.
    const { shown } = visibleTasks(current.state, target, current.filter);
    const ids = shown.map((t) => t.id);
    const taskId = this.dragged;
    const anchor = dropAnchor(ids, taskId, index);
    const unchanged = ids.includes(taskId) && sameSpot(ids, taskId, anchor);
    this.finish();
    if (!unchanged) {
      this.columns.on.onMove(taskId, { sprint: target.sprint, status: target.status, ...anchor });
    }
  }

  finish() {
    if (this.dragged === null) return;
    this.dragged = null;
    this.clearMarks();
    this.columns.root.querySelectorAll('.dragging').forEach((el) => {
      el.classList.remove('dragging');
    });
    if (this.deferred) {
      this.deferred = false;
      this.columns.rerender();
    }
  }
}

// Dropping a card right where it already is should not cost a request.
function sameSpot(ids, taskId, anchor) {
  const at = ids.indexOf(taskId);
  if ('before' in anchor) return ids[at + 1] === anchor.before;
  if ('after' in anchor) return ids[at - 1] === anchor.after;
  return true;
}
