// The five columns and their cards, with drag and drop (drag-drop.js), keyboard moves
// (Alt+Arrow on a focused card), the phone's one-column view and "Move to…" selects, and a
// quick-add at the foot of each column. Moves go to the server; the board changes when the
// response or the event comes back, so every screen shows the same order. The DOM of a
// column and its cards is cards.js.

import { columnSlot, updateMover, updateOpenButton, updateSlot } from './cards.js';
import { columnSwitcher } from './column-switcher.js';
import { DragDrop } from './drag-drop.js';
import { sumPoints } from './planning-math.js';
import { createQuickAdd } from './quick-add.js';
import * as S from './state.js';
import { h, todayIso } from './ui.js';

const KEYS = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

// on: { onOpen(id), onAdd(column), onMove(id, body), onFocusTask(id|null), canWrite(),
//       onQuickAdd(column, name) → Promise<task|null> }
export function createColumns(on) {
  return new Columns(on);
}

class Columns {
  constructor(on) {
    this.on = on;
    this.root = h('div', { class: 'columns' });
    this.switcher = columnSwitcher(
      (key) => this.show(key),
      (key) => this.slots.has(key) && this.on.onAdd(this.slots.get(key).col),
    );
    this.empty = h(
      'div',
      { class: 'column column-empty panel' },
      h('p', {}, 'No sprint yet. Create one to plan its work in columns.'),
    );
    this.current = null;
    this.shown = null; // the column a phone shows
    this.highlight = null; // the card a ?task= link pointed at, kept across re-renders
    this.reveal = null; // a card just added: scrolled into view once it is on the board
    this.pressed = null; // {id, version} of a card moved by keyboard, until its move is back
    this.placedSprint = undefined; // the sprint whose cards the lists show
    this.slots = new Map(); // column key -> its elements (cards.js columnSlot)
    this.buttons = new Map(); // task id -> its card's open button (cards.js updateOpenButton)
    this.movers = new Map(); // task id -> its card's "Move to…" select
    this.drag = new DragDrop(this);
    this.listenForKeys();
  }

  render(state, sprintId, presence, filter = S.NO_FILTER) {
    this.current = { state, sprintId, presence, filter };
    if (this.drag.holdRender()) return;
    const active = document.activeElement;
    const columns = S.columnsFor(sprintId);
    const visible = columns.map((col) => S.visibleTasks(state, col, filter));
    const moved = this.keyMoved(state, sprintId);
    if (!this.shown || !columns.some((c) => c.key === this.shown)) {
      this.shown = S.defaultColumnKey(state, sprintId);
    }
    const canWrite = this.on.canWrite();
    const opts = {
      state,
      presence,
      today: todayIso(),
      canWrite,
      filtering: S.isFiltering(filter),
      current: this.shown,
      highlight: this.highlight,
      held: this.held(active),
      openButton: (task) => updateOpenButton(this.keep(this.buttons, task.id), task, canWrite),
      mover: (task) => updateMover(this.keep(this.movers, task.id), task, sprintId, canWrite),
    };
    columns.forEach((col, i) =>
      updateSlot(this.slot(col), col, visible[i], opts, sumPoints(S.columnTasks(state, col))),
    );
    this.place(
      columns.map((c) => this.slots.get(c.key).section),
      sprintId,
    );
    const counts = columns.map((c, i) => ({
      key: c.key,
      title: c.title,
      shown: visible[i].shown.length,
      total: visible[i].total,
    }));
    this.switcher.render(counts, this.shown, opts);
    for (const map of [this.buttons, this.movers]) {
      for (const id of map.keys()) if (!state.tasks[id]) map.delete(id);
    }
    this.restoreFocus(active, moved);
  }

  // Sections leave the page only when the set of columns changes: a list taken out of the
  // page would lose its scroll position.
  place(sections, sprintId) {
    const wanted = sprintId == null ? [...sections, this.empty] : sections;
    const now = [...this.root.children];
    if (now.length !== wanted.length || now.some((el, i) => el !== wanted[i])) {
      this.root.replaceChildren(...wanted);
    }
    // Another sprint is another list of cards: it starts at its top.
    if (sprintId !== this.placedSprint) {
      this.placedSprint = sprintId;
      for (const slot of this.slots.values()) slot.list.scrollTop = 0;
    }
  }

  // The focused control of a card, which the re-render leaves in the page (cards.js).
  held(active) {
    const card = active && active.closest ? active.closest('.card') : null;
    return card && card !== active && this.root.contains(card) ? { card, control: active } : null;
  }

  slot(col) {
    if (!this.slots.has(col.key)) {
      const quickAdd = createQuickAdd(col.key, (column, name) => this.quickAdd(column, name));
      this.slots.set(col.key, columnSlot(col, { onAdd: this.on.onAdd, quickAdd }));
    }
    return this.slots.get(col.key);
  }

  keep(map, taskId) {
    if (!map.has(taskId)) map.set(taskId, this.newControl(map, taskId));
    return map.get(taskId);
  }

  newControl(map, taskId) {
    if (map === this.buttons) {
      const open = () => this.on.onOpen(taskId);
      return h('button', { type: 'button', class: 'card-open', onclick: open });
    }
    const select = h('select', { class: 'card-move' });
    select.addEventListener('change', () => this.moveTo(taskId, select.value));
    return select;
  }

  // A card moved by keyboard (its move came back: a new version) stays in sight, on a phone
  // too, where the view follows it to its new column. Returns its id once, else null.
  keyMoved(state, sprintId) {
    const press = this.pressed;
    const task = press && state.tasks[press.id];
    if (!task || task.version === press.version) return null;
    this.pressed = null;
    this.shown = S.columnOf(task, sprintId) || this.shown;
    return task.id;
  }

  // Elements that were only re-placed lost focus on the way: give it back (scrolling only
  // to a card the user moved or just added, never away from where they scrolled).
  restoreFocus(active, movedId) {
    if (active && active !== document.activeElement && active.isConnected) {
      if (this.root.contains(active) && active.getClientRects().length) {
        active.focus({ preventScroll: true });
      }
    }
    const seek = (id) => id && this.root.querySelector(`.card[data-task-id="${id}"]`);
    const moved = seek(movedId);
    if (moved) moved.scrollIntoView({ block: 'nearest', inline: 'nearest' });
    const added = seek(this.reveal);
    if (added) {
      this.reveal = null;
      added.scrollIntoView({ block: 'nearest' });
    }
  }

  show(key) {
    this.shown = key;
    if (this.current) this.rerender();
  }

  // From a card's "Move to…" select: the card goes to the end of that column. The phone
  // stays on the column the user is sorting; focus goes to the next card there.
  moveTo(taskId, key) {
    const { state, sprintId } = this.current;
    const task = state.tasks[taskId];
    const target = task && S.moveTargets(task, sprintId).find((t) => t.key === key);
    if (!target) return;
    const card = this.root.querySelector(`.card[data-task-id="${taskId}"]`);
    const next = card && (card.nextElementSibling || card.previousElementSibling);
    const button = next && next.querySelector('.card-open');
    (button || this.switcher.select).focus({ preventScroll: true });
    this.on.onMove(taskId, target.body);
  }

  async quickAdd(col, name) {
    const task = await this.on.onQuickAdd(col, name);
    if (!task) return { hidden: false };
    this.reveal = task.id;
    const { state, filter } = this.current;
    return { hidden: !S.taskFilter(state, filter)(task) };
  }

  rerender() {
    const { state, sprintId, presence, filter } = this.current;
    this.render(state, sprintId, presence, filter);
  }

  setHighlight(taskId) {
    this.highlight = taskId;
    if (this.current) this.rerender();
  }

  listenForKeys() {
    const { root, on } = this;
    root.addEventListener('keydown', (event) => {
      const direction = KEYS[event.key];
      const el = event.target.closest && event.target.closest('.card');
      // A select's own Alt+Arrow opens its picker ("Move to…").
      if (!direction || !event.altKey || !el || event.target.tagName === 'SELECT') return;
      if (!this.current || !on.canWrite()) return;
      event.preventDefault();
      const taskId = Number(el.dataset.taskId);
      const { state, sprintId, filter } = this.current;
      const body = S.keyboardMove(state, sprintId, taskId, direction, filter);
      if (!body) return;
      this.pressed = { id: taskId, version: state.tasks[taskId].version };
      on.onMove(taskId, body);
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
