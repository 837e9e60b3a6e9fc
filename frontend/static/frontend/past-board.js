// The columns of a past board, read-only: no drag, no quick-add, no "+", no card to open.
// Its own small renderer rather than columns.js: that one is built around writing (drag and
// drop, keyboard moves, a focused control kept across live re-renders), none of which a
// board that cannot change needs. Class names differ from the live board's on purpose, so
// nothing that looks for live cards (the e2e board dump, drag and drop) finds these.

import { columnTasks, columnsFor, displayName, STATUSES } from './state.js';
import { formatDate, h } from './ui.js';

// state: history-state.js pastState; sprintId: the sprint whose columns are shown.
export function pastColumns(state, sprintId) {
  const columns = columnsFor(sprintId);
  return h(
    'div',
    { class: 'past-columns', dataset: { columns: columns.length } },
    columns.map((col) => pastColumn(state, col)),
  );
}

function pastColumn(state, col) {
  const tasks = columnTasks(state, col);
  const titleId = `past-${col.key}-title`;
  return h(
    'section',
    {
      class: `past-column past-${col.key}`,
      'aria-labelledby': titleId,
      dataset: { column: col.key },
    },
    h(
      'header',
      { class: 'past-column-head' },
      h('h3', { id: titleId }, col.title),
      h(
        'span',
        { class: 'count' },
        h('span', { class: 'sr-only' }, 'Tasks: '),
        String(tasks.length),
      ),
    ),
    tasks.length
      ? h(
          'ol',
          { class: 'past-cards', 'aria-labelledby': titleId },
          tasks.map((t) => pastCard(state, t)),
        )
      : h('p', { class: 'past-none muted' }, 'No cards'),
  );
}

function pastCard(state, task) {
  const status = STATUSES.find((s) => s.id === task.status);
  const meta = [
    task.assigned ? displayName(state, task.assigned) : 'Unassigned',
    task.points != null ? `${task.points} pts` : null,
    task.due ? `Due ${formatDate(task.due)}` : null,
    task.sprint == null && status && status.id !== 1 ? status.label : null,
  ].filter(Boolean);
  return h(
    'li',
    { class: `past-card${task.status === 4 ? ' done' : ''}`, dataset: { taskId: task.id } },
    h('span', { class: 'past-card-name' }, task.name),
    task.description ? h('p', { class: 'past-card-desc' }, task.description) : null,
    h('p', { class: 'past-card-meta' }, meta.join(' · ')),
  );
}
