// The five columns and their cards, with drag and drop (HTML5) and keyboard moves
// (Alt+Arrow on a focused card). Moves go to the server; the board changes when the
// response or the event comes back, so every screen shows the same order.

import { columnsFor, columnTasks, dropAnchor, dueState, keyboardMove } from './state.js';
import { avatar, formatDate, h, todayIso } from './ui.js';

const KEYS = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

export function createColumns({ onOpen, onAdd, onMove, onFocusTask, canWrite }) {
  const root = h('div', { class: 'columns' });
  let dragged = null;
  let deferred = null;
  let current = null;
  let highlight = null; // the card a ?task= link pointed at, kept across re-renders

  function watchersOf(taskId, presence) {
    return presence.filter((p) => !p.me && p.focus === taskId);
  }

  function card(task, presence, today) {
    const due = dueState(task.due, today);
    const watchers = watchersOf(task.id, presence);
    const open = h(
      'button',
      {
        type: 'button',
        class: 'card-open',
        'aria-keyshortcuts': canWrite() ? 'Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown' : null,
        'aria-describedby': canWrite() ? 'move-help' : null,
        onclick: () => onOpen(task.id),
      },
      task.name,
    );
    return h(
      'li',
      {
        class: `card${watchers.length ? ' watched' : ''}${task.status === 4 ? ' done' : ''}${task.id === highlight ? ' highlight' : ''}`,
        draggable: canWrite() ? 'true' : 'false',
        dataset: { taskId: task.id },
      },
      open,
      task.description ? h('p', { class: 'card-desc' }, task.description) : null,
      h(
        'div',
        { class: 'card-meta' },
        task.assigned
          ? h('span', { class: 'assignee' }, avatar(task.assigned, { size: 'sm' }), task.assigned)
          : h('span', { class: 'assignee muted' }, 'Unassigned'),
        task.due
          ? h('span', { class: `due due-${due}`, title: `Due ${task.due}` }, due === 'today' ? 'Due today' : `Due ${formatDate(task.due)}`)
          : null,
      ),
      watchers.length
        ? h(
            'div',
            { class: 'watchers', 'aria-label': `Viewed by ${watchers.map((w) => w.username).join(', ')}` },
            watchers.map((w) => avatar(w.username, { size: 'xs', title: `${w.username} is looking at this` })),
          )
        : null,
    );
  }

  function column(col, state, presence, today) {
    const tasks = columnTasks(state, col);
    const titleId = `col-${col.key}-title`;
    return h(
      'section',
      { class: `column column-${col.key}`, 'aria-labelledby': titleId, dataset: { column: col.key } },
      h(
        'header',
        { class: 'column-head' },
        h('h2', { id: titleId }, col.title),
        h('span', { class: 'count', 'aria-label': `${tasks.length} tasks` }, String(tasks.length)),
        canWrite()
          ? h('button', { type: 'button', class: 'btn-icon add', 'aria-label': `Add a task to ${col.title}`, title: 'Add task', onclick: () => onAdd(col) }, '+')
          : null,
      ),
      h(
        'ol',
        { class: 'cards', dataset: { column: col.key }, 'aria-labelledby': titleId },
        tasks.map((t) => card(t, presence, today)),
      ),
    );
  }

  function render(state, sprintId, presence) {
    current = { state, sprintId, presence };
    // Replacing the dragged element mid-drag cancels the drag: wait for dragend.
    if (dragged !== null) {
      deferred = current;
      return;
    }
    const focused = document.activeElement && document.activeElement.closest ? document.activeElement.closest('.card') : null;
    const focusId = focused && root.contains(focused) ? focused.dataset.taskId : null;
    const today = todayIso();
    root.replaceChildren(...columnsFor(sprintId).map((col) => column(col, state, presence, today)));
    if (sprintId == null) root.append(h('div', { class: 'column column-empty panel' }, h('p', {}, 'No sprint yet. Create one to plan its work in columns.')));
    if (focusId) {
      const again = root.querySelector(`.card[data-task-id="${focusId}"] .card-open`);
      if (again) again.focus({ preventScroll: false });
    }
  }

  // --- drag and drop -------------------------------------------------------------------

  function dropIndex(list, y) {
    const cards = [...list.querySelectorAll('.card')].filter((c) => Number(c.dataset.taskId) !== dragged);
    const after = cards.findIndex((c) => {
      const box = c.getBoundingClientRect();
      return y < box.top + box.height / 2;
    });
    return after < 0 ? cards.length : after;
  }

  function clearMarks() {
    root.querySelectorAll('.drop-target').forEach((el) => el.classList.remove('drop-target'));
    root.querySelectorAll('.drop-line').forEach((el) => el.remove());
  }

  root.addEventListener('dragstart', (event) => {
    const el = event.target.closest && event.target.closest('.card');
    if (!el || !canWrite()) return;
    dragged = Number(el.dataset.taskId);
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', String(dragged));
    el.classList.add('dragging');
  });

  root.addEventListener('dragover', (event) => {
    const list = event.target.closest && event.target.closest('.column');
    if (dragged === null || !list) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'move';
    const cards = list.querySelector('.cards');
    clearMarks();
    list.classList.add('drop-target');
    const index = dropIndex(cards, event.clientY);
    const others = [...cards.querySelectorAll('.card')].filter((c) => Number(c.dataset.taskId) !== dragged);
    const line = h('li', { class: 'drop-line', 'aria-hidden': 'true' });
    if (others[index]) cards.insertBefore(line, others[index]);
    else cards.append(line);
  });

  root.addEventListener('dragleave', (event) => {
    if (!root.contains(event.relatedTarget)) clearMarks();
  });

  root.addEventListener('drop', (event) => {
    const col = event.target.closest && event.target.closest('.column');
    if (dragged === null || !col || !current) return;
    event.preventDefault();
    const cards = col.querySelector('.cards');
    const target = columnsFor(current.sprintId).find((c) => c.key === col.dataset.column);
    const index = dropIndex(cards, event.clientY);
    const ids = columnTasks(current.state, target).map((t) => t.id);
    const taskId = dragged;
    const anchor = dropAnchor(ids, taskId, index);
    const unchanged = ids.includes(taskId) && sameSpot(ids, taskId, anchor);
    finishDrag();
    if (!unchanged) onMove(taskId, { sprint: target.sprint, status: target.status, ...anchor });
  });

  root.addEventListener('dragend', finishDrag);

  function finishDrag() {
    if (dragged === null) return;
    dragged = null;
    clearMarks();
    root.querySelectorAll('.dragging').forEach((el) => el.classList.remove('dragging'));
    if (deferred) {
      const d = deferred;
      deferred = null;
      render(d.state, d.sprintId, d.presence);
    }
  }

  // --- keyboard ------------------------------------------------------------------------

  root.addEventListener('keydown', (event) => {
    const direction = KEYS[event.key];
    const el = event.target.closest && event.target.closest('.card');
    if (!direction || !event.altKey || !el || !current || !canWrite()) return;
    event.preventDefault();
    const taskId = Number(el.dataset.taskId);
    const body = keyboardMove(current.state, current.sprintId, taskId, direction);
    if (body) onMove(taskId, body);
  });

  root.addEventListener('focusin', (event) => {
    const el = event.target.closest && event.target.closest('.card');
    onFocusTask(el ? Number(el.dataset.taskId) : null);
  });
  root.addEventListener('focusout', (event) => {
    if (!root.contains(event.relatedTarget)) onFocusTask(null);
  });

  function setHighlight(taskId) {
    highlight = taskId;
    if (current) render(current.state, current.sprintId, current.presence);
  }

  return { root, render, setHighlight };
}

// Dropping a card right where it already is should not cost a request.
function sameSpot(ids, taskId, anchor) {
  const at = ids.indexOf(taskId);
  if ('before' in anchor) return ids[at + 1] === anchor.before;
  if ('after' in anchor) return ids[at - 1] === anchor.after;
  return true;
}
