// The task dialog's edits as plain data, so no save reverts someone else's change: what the
// user changed since the dialog opened, what another user's change means for the open form,
// and what "save mine anyway" re-applies on the row as it is now. No DOM: `node --test`
// covers it (frontend/tests/task-edit.test.mjs).

import { columnOf } from './state.js';

// Every value is a string as a form control holds it: '' for no assignee, no due date, or a
// column outside the dialog's sprint; labels as their ids sorted and joined ("3,7"), so a
// set compares by value like every other field.
export const FIELDS = ['name', 'description', 'assigned', 'due', 'points', 'labels', 'column'];

export const LABELS = {
  name: 'Name',
  description: 'Description',
  assigned: 'Assignee',
  due: 'Due',
  points: 'Points',
  labels: 'Labels',
  column: 'Column',
};

// A label set as the form's string, and back (ids the form holds, as numbers).
export function labelsValue(ids) {
  return [...new Set((ids || []).map(Number))].sort((a, b) => a - b).join(',');
}

export function labelIds(value) {
  return value ? String(value).split(',').map(Number) : [];
}

// A task row as the dialog's fields show it (`column` as the dialog's column key).
export function taskValues(task, sprintId) {
  return {
    name: task.name,
    description: task.description || '',
    assigned: task.assigned || '',
    due: task.due || '',
    points: task.points == null ? '' : String(task.points),
    labels: labelsValue(task.labels),
    column: columnOf(task, sprintId) || '',
  };
}

// The fields whose value differs from `base` (what the dialog opened with, moved on by the
// changes of others shown in place): only these are the user's.
export function changedFields(base, values) {
  const changes = {};
  for (const key of FIELDS) {
    if (key in values && values[key] !== base[key]) changes[key] = values[key];
  }
  return changes;
}

// The PATCH body for some changes: the column goes through the move endpoint instead.
export function patchBody(changes) {
  const body = {};
  for (const [key, value] of Object.entries(changes)) {
    if (key === 'column') continue;
    if (key === 'points') body[key] = value === '' ? null : Number(value);
    else if (key === 'labels') body[key] = labelIds(value);
    else body[key] = (key === 'assigned' || key === 'due') && value === '' ? null : value;
  }
  return body;
}

// Another user changed the task while the form is open (`seen` -> `next`, both as
// taskValues). A field the user has not touched takes the new value in place (`applied`, and
// `base` moves with it, so it stays not the user's); a field the user is editing keeps their
// input and the other value is only shown (`clashes`). A user who typed exactly the new
// value has nothing left to save there.
export function mergeRemote({ base, values, seen, next }) {
  const merged = { ...base };
  const applied = [];
  const clashes = [];
  for (const key of FIELDS) {
    if (seen[key] === next[key]) continue;
    if (values[key] === base[key] || values[key] === next[key]) {
      merged[key] = next[key];
      applied.push({ key, value: next[key] });
    } else {
      clashes.push({ key, value: next[key] });
    }
  }
  return { base: merged, applied, clashes };
}

// "Save mine anyway" after a 409: the user's changes on top of the row as it is now
// (`current` as taskValues). A change the row already has is dropped: nothing to send.
export function rebase(changes, current) {
  const mine = {};
  for (const [key, value] of Object.entries(changes)) {
    if (current[key] !== value) mine[key] = value;
  }
  return mine;
}

// A queued edit (outbox.js) as the form's changes: its fields and, if it moves the task,
// the form's column key.
export function queuedChanges(entry) {
  return { ...entry.fields, ...(entry.column ? { column: entry.column } : {}) };
}

// The conflict table: per field, what the user changed (null: untouched) next to the value
// now. `differs`: the user's change and the current value disagree, so "save mine anyway"
// would replace someone else's value there; `theirs`: someone else changed it since the
// dialog opened (`opened`).
export function conflictRows(changes, opened, current) {
  return FIELDS.map((key) => ({
    key,
    label: LABELS[key],
    mine: key in changes ? changes[key] : null,
    current: current[key],
    differs: key in changes && changes[key] !== current[key],
    theirs: current[key] !== opened[key],
  }));
}
