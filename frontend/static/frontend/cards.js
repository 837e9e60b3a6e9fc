// One column and its cards as DOM, from the board state (columns.js owns drag and drop, the
// keyboard and re-rendering). A column's elements are kept across renders and updated in
// place: a card list that never leaves the page keeps its scroll position, and a focused
// "+" or quick-add input keeps its focus while others' changes arrive.

import { checklistBadge, commentsBadge, labelChips } from './card-badges.js';
import { personAvatar } from './person.js';
import { pointsSpoken, pointsText } from './planning-math.js';
import { displayName, dueState, moveTargets } from './state.js';
import { formatDate, h } from './ui.js';

// on: { onAdd(col) }; quickAdd: the column's quick-add (quick-add.js), placed under the list.
export function columnSlot(col, { onAdd, quickAdd }) {
  const titleId = `col-${col.key}-title`;
  const slot = { col, quickAdd };
  slot.count = h('span', { class: 'count' });
  slot.points = h('span', { class: 'column-points' });
  slot.add = h(
    'button',
    {
      type: 'button',
      class: 'btn-icon add',
      'aria-label': `Add a task to ${col.title}`,
      title: 'Add a task with all its fields',
      onclick: () => onAdd(slot.col),
    },
    '+',
  );
  slot.list = h('ol', { class: 'cards', dataset: { column: col.key }, 'aria-labelledby': titleId });
  slot.section = h(
    'section',
    { class: `column column-${col.key}`, 'aria-labelledby': titleId, dataset: { column: col.key } },
    h(
      'header',
      { class: 'column-head' },
      h('h2', { id: titleId }, col.title),
      slot.count,
      slot.points,
      slot.add,
    ),
    slot.list,
    quickAdd.root,
  );
  return slot;
}

// visible: { shown, total } (state.js visibleTasks); points: the column's point sum (every
// card, as `total` counts them); opts: { state, presence, today, canWrite,
// filtering, current (the key a phone shows), highlight, openButton(task), mover(task),
// held: { card, control } the focused control and its card, or null }
export function updateSlot(slot, col, { shown, total }, opts, points = 0) {
  slot.col = col;
  slot.points.replaceChildren(
    h('span', { 'aria-hidden': 'true' }, pointsText(points)),
    h('span', { class: 'sr-only' }, `${pointsSpoken(points)} in ${col.title}`),
  );
  slot.points.dataset.points = String(points);
  const text = opts.filtering ? `${shown.length}/${total}` : String(total);
  const spoken = opts.filtering ? `${shown.length} of ${total} tasks shown` : `${total} tasks`;
  slot.count.replaceChildren(
    h('span', { 'aria-hidden': 'true' }, text),
    h('span', { class: 'sr-only' }, spoken),
  );
  slot.add.hidden = !opts.canWrite;
  const { held } = opts;
  const keep = held && slot.list.contains(held.card) ? held.card : null;
  const cards = shown.map((t) =>
    keep && Number(keep.dataset.taskId) === t.id
      ? fillCard(keep, t, opts, held.control)
      : fillCard(h('li', { dataset: { taskId: t.id } }), t, opts, null),
  );
  if (!shown.length && total && opts.filtering) {
    cards.push(h('li', { class: 'cards-none muted' }, 'No card here matches the filter.'));
  }
  fillAround(slot.list, cards, keep);
  slot.section.classList.toggle('column-current', opts.current === col.key);
  slot.quickAdd.update(col, opts.canWrite);
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

// The phone's way to move a card (dragging on a touch screen is awkward): a select of the
// other columns, kept per task like the open button so an open picker survives a re-render.
export function updateMover(select, task, sprintId, canWrite) {
  const targets = moveTargets(task, sprintId);
  const key = JSON.stringify([task.name, targets.map((t) => t.key)]);
  if (select.dataset.key !== key) {
    select.dataset.key = key;
    select.setAttribute('aria-label', `Move “${task.name}” to another column`);
    select.replaceChildren(
      h('option', { value: '' }, 'Move to…'),
      ...targets.map((t) => h('option', { value: t.key }, t.title)),
    );
  }
  select.value = '';
  select.hidden = !canWrite;
  return select;
}

// `el`'s children become `items`, in order, without taking `keep` out of the page: a focused
// control in it keeps its focus, and a select its open picker ("Move to…" on a busy board).
function fillAround(el, items, keep) {
  if (!keep || !items.includes(keep)) {
    el.replaceChildren(...items);
    return;
  }
  for (const child of [...el.children]) if (child !== keep) child.remove();
  const at = items.indexOf(keep);
  keep.before(...items.slice(0, at));
  keep.after(...items.slice(at + 1));
}

// The card `li` brought up to date with `task`; `held` (its focused control) stays in place.
function fillCard(li, task, opts, held) {
  const { state, presence, today, canWrite, highlight, openButton, mover } = opts;
  const watchers = presence.filter((p) => !p.me && p.focus === task.id);
  const classes = ['card'];
  if (watchers.length) classes.push('watched');
  if (task.status === 4) classes.push('done');
  if (task.id === highlight) classes.push('highlight');
  li.className = classes.join(' ');
  li.setAttribute('draggable', canWrite ? 'true' : 'false');
  const parts = [
    openButton(task),
    labelChips(state, task),
    task.description ? h('p', { class: 'card-desc' }, task.description) : null,
    h(
      'div',
      { class: 'card-meta' },
      assignee(state, task),
      task.points != null ? pointsBadge(task) : null,
      dueBadge(task, today),
      checklistBadge(task),
      commentsBadge(task),
    ),
    mover(task),
    watchers.length ? watchersView(state, watchers) : null,
  ].filter(Boolean);
  fillAround(li, parts, held);
  return li;
}

// "3 pt" as seen, "3 story points" as heard; an unestimated card says so only to a reader.
export function pointsBadge(task) {
  if (task.points == null) {
    return h(
      'span',
      { class: 'points points-none' },
      h('span', { class: 'sr-only' }, 'not estimated'),
    );
  }
  return h(
    'span',
    { class: 'points', title: pointsSpoken(task.points), dataset: { points: task.points } },
    h('span', { 'aria-hidden': 'true' }, pointsText(task.points)),
    h('span', { class: 'sr-only' }, pointsSpoken(task.points)),
  );
}

function assignee(state, task) {
  if (!task.assigned) return h('span', { class: 'assignee muted' }, 'Unassigned');
  const name = displayName(state, task.assigned);
  return h(
    'span',
    { class: 'assignee', dataset: { username: task.assigned } },
    personAvatar(task.assigned, name, { size: 'sm' }),
    h('span', { class: 'assignee-name' }, name),
  );
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

// Presence frames may carry no full name: the board's members know it.
function watchersView(state, watchers) {
  const people = watchers.map((w) => ({
    ...w,
    name: w.full_name || displayName(state, w.username),
  }));
  return h(
    'div',
    {
      class: 'watchers',
      role: 'img',
      'aria-label': `Viewed by ${people.map((w) => w.name).join(', ')}`,
    },
    people.map((w) =>
      personAvatar(w.username, w.name, { size: 'xs', title: `${w.name} is looking at this` }),
    ),
  );
}
