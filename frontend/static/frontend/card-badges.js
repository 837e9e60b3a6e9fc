// What a card shows of its labels, checklist and comments (cards.js places them): label
// chips with their names, "☑ 3/5" and "💬 2" with their spoken forms, all from the task row
// and the board's labels as state.js folds them.

import { progressOf, progressSpoken } from './checklist-state.js';
import { paintChip } from './label-colors.js';
import { h } from './ui.js';

// The card's labels by name, each on its colour; a label the board no longer has (its
// deletion is on the way) is left out.
export function labelChips(state, task) {
  const labels = (task.labels || []).map((id) => (state.labels || {})[id]).filter(Boolean);
  if (!labels.length) return null;
  labels.sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
  return h(
    'ul',
    { class: 'card-labels', 'aria-label': 'Labels' },
    labels.map((label) =>
      paintChip(
        h('li', { class: 'label-chip', dataset: { labelId: label.id } }, label.name),
        label.color,
      ),
    ),
  );
}

// "☑ 3/5" as seen, "3 of 5 checklist items done" as heard; nothing without a checklist.
export function checklistBadge(task) {
  // A card not saved yet (outbox.js) has no counters: none is no checklist, not a list.
  const counts = {
    checklist_total: task.checklist_total || 0,
    checklist_done: task.checklist_done || 0,
  };
  const progress = progressOf(counts);
  if (!progress.total) return null;
  const complete = progress.done === progress.total;
  return h(
    'span',
    {
      class: `badge checklist-badge${complete ? ' complete' : ''}`,
      title: progressSpoken(progress),
      dataset: { done: progress.done, total: progress.total },
    },
    h('span', { 'aria-hidden': 'true' }, `☑ ${progress.text}`),
    h('span', { class: 'sr-only' }, progressSpoken(progress)),
  );
}

export function commentsBadge(task) {
  const count = task.comments_count || 0;
  if (!count) return null;
  const spoken = `${count} ${count === 1 ? 'comment' : 'comments'}`;
  return h(
    'span',
    { class: 'badge comments-badge', title: spoken, dataset: { count } },
    h('span', { 'aria-hidden': 'true' }, `💬 ${count}`),
    h('span', { class: 'sr-only' }, spoken),
  );
}
