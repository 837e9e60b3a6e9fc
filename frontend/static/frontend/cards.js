// One column and its cards as DOM, from the board state: nothing here listens or remembers
// (columns.js owns drag and drop, the keyboard and re-rendering).

import { columnTasks, dueState } from './state.js';
import { avatar, formatDate, h } from './ui.js';

// opts: { state, presence, today, canWrite (bool), highlight (task id), onAdd(col),
//         openButton(task): the card's open button (columns.js keeps one per task) }
export function columnView(col, opts) {
  const tasks = columnTasks(opts.state, col);
  const titleId = `col-${col.key}-title`;
  return h(
    'section',
    { class: `column column-${col.key}`, 'aria-labelledby': titleId, dataset: { column: col.key } },
    h(
      'header',
      { class: 'column-head' },
      h('h2', { id: titleId }, col.title),
      h('span', { class: 'count', 'aria-label': `${tasks.length} tasks` }, String(tasks.length)),
      opts.canWrite ? addButton(col, opts.onAdd) : null,
    ),
    h(
      'ol',
      { class: 'cards', dataset: { column: col.key }, 'aria-labelledby': titleId },
      tasks.map((t) => cardView(t, opts)),
    ),
  );
}

function addButton(col, onAdd) {
  return h(
    'button',
    {
      type: 'button',
      class: 'btn-icon add',
      'aria-label': `Add a task to ${col.title}`,
      title: 'Add task',
      onclick: () => onAdd(col),
    },
    '+',
  );
}

// The button that opens a card, brought up to date. Columns keep one per task across
// renders: a click whose mousedown and mouseup straddle a re-render (someone's presence
// changed) still lands, since both hit the same element.
export function updateOpenButton(button, task, canWrite) {
  if (button.textContent !== task.name) button.textContent = task.name;
  const keys = 'Alt+ArrowLeft Alt+ArrowRight Alt+ArrowUp Alt+ArrowDown';
  if (canWrite) {
    button.setAttribute('aria-keyshortcuts', keys);
    button.setAttribute('aria-describedby', 'move-help');
  } else {
    button.removeAttribute('aria-keyshortcuts');
    button.removeAttribute('aria-describedby');
  }
  return button;
}

function cardView(task, { presence, today, canWrite, highlight, openButton }) {
  const watchers = presence.filter((p) => !p.me && p.focus === task.id);
  const classes = ['card'];
  if (watchers.length) classes.push('watched');
  if (task.status === 4) classes.push('done');
  if (task.id === highlight) classes.push('highlight');
  const open = openButton(task);
  return h(
    'li',
    {
      class: classes.join(' '),
      draggable: canWrite ? 'true' : 'false',
      dataset: { taskId: task.id },
    },
    open,
    task.description ? h('p', { class: 'card-desc' }, task.description) : null,
    h('div', { class: 'card-meta' }, assignee(task), dueBadge(task, today)),
    watchers.length ? watchersView(watchers) : null,
  );
}

function assignee(task) {
  return task.assigned
    ? h('span', { class: 'assignee' }, avatar(task.assigned, { size: 'sm' }), task.assigned)
    : h('span', { class: 'assignee muted' }, 'Unassigned');
}

function dueBadge(task, today) {
  if (!task.due) return null;
  const due = dueState(task.due, today);
  return h(
    'span',
    { class: `due due-${due}`, title: `Due ${task.due}` },
    due === 'today' ? 'Due today' : `Due ${formatDate(task.due)}`,
  );
}

function watchersView(watchers) {
  return h(
    'div',
    { class: 'watchers', 'aria-label': `Viewed by ${watchers.map((w) => w.username).join(', ')}` },
    watchers.map((w) =>
      avatar(w.username, { size: 'xs', title: `${w.username} is looking at this` }),
    ),
  );
}
