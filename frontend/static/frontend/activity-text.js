// A card's activity entries (GET /api/tasks/{id}/activity/: {seq, name, actor, at, changes:
// {field: [old, new]}}) as sentences: "olive changed status Not Started → In Progress". Plain
// data in, text out, so `node --test` covers the wording. The log stores values (ids, status
// numbers); names come from the board state at render time, so a renamed sprint reads as it
// is called now.

import { STATUSES } from './state.js';

const FIELDS = {
  name: 'name',
  description: 'the description',
  sprint: 'sprint',
  status: 'status',
  assigned: 'assignee',
  started: 'start date',
  due: 'due date',
  completed: 'completion date',
  points: 'points',
};
const EXCERPT = 80;

export function excerpt(text, max = EXCERPT) {
  const flat = String(text || '')
    .replace(/\s+/gu, ' ')
    .trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const quoted = (text) => `“${excerpt(text)}”`;

function value(field, v, state) {
  if (v === null || v === undefined || v === '') {
    if (field === 'sprint') return 'Backlog';
    if (field === 'assigned') return 'nobody';
    return 'none';
  }
  if (field === 'status') return (STATUSES.find((s) => s.id === v) || { label: String(v) }).label;
  if (field === 'sprint') {
    const sprint = state && state.sprints && state.sprints[v];
    return sprint ? sprint.name : `sprint ${v}`;
  }
  if (field === 'name') return quoted(v);
  return String(v);
}

function labelName(id, state) {
  const label = state && state.labels && state.labels[id];
  return label ? label.name : `label ${id}`;
}

function labelChanges([before, after], state) {
  const had = new Set(before || []);
  const has = new Set(after || []);
  const added = [...has].filter((id) => !had.has(id)).map((id) => labelName(id, state));
  const removed = [...had].filter((id) => !has.has(id)).map((id) => labelName(id, state));
  const out = [];
  if (added.length) out.push(`added label ${added.join(', ')}`);
  if (removed.length) out.push(`removed label ${removed.join(', ')}`);
  return out;
}

function commentText(changes) {
  const [before, after] = changes.comment;
  if (before == null) return `commented: ${quoted(after)}`;
  if (after == null) return 'deleted a comment';
  return 'edited a comment';
}

function checklistText(changes) {
  const [before, after] = changes.checklist;
  if (before == null) return `added ${quoted(after)} to the checklist`;
  if (after == null) return `removed ${quoted(before)} from the checklist`;
  const parts = [];
  if (Array.isArray(changes.text)) parts.push(`renamed ${quoted(before)} to ${quoted(after)}`);
  if (Array.isArray(changes.done)) {
    parts.push(`${changes.done[1] ? 'checked' : 'unchecked'} ${quoted(after)}`);
  }
  return parts.join(', ') || `changed ${quoted(after)} on the checklist`;
}

function fieldTexts(changes, state) {
  const out = [];
  for (const [field, pair] of Object.entries(changes)) {
    if (!Array.isArray(pair) || pair.length !== 2) continue;
    if (field === 'labels') out.push(...labelChanges(pair, state));
    else if (field === 'description') out.push('changed the description');
    else if (field in FIELDS) {
      out.push(
        `changed ${FIELDS[field]} ${value(field, pair[0], state)} → ${value(field, pair[1], state)}`,
      );
    }
  }
  return out;
}

// What the entry did, without who: "changed status Not Started → In Progress".
export function activityAction(entry, state) {
  const changes = (entry && entry.changes) || {};
  if (Array.isArray(changes.comment)) return commentText(changes);
  if (Array.isArray(changes.checklist)) return checklistText(changes);
  if (Array.isArray(changes.deleted)) {
    return changes.deleted[1] ? 'moved the card to the trash' : 'restored the card';
  }
  if (entry.name === 'task.created') return 'created the card';
  return fieldTexts(changes, state).join('; ') || 'changed the card';
}

// The whole sentence; an undo says which change it took back.
export function activityText(entry, state) {
  const who = (entry.actor && (entry.actor.username || entry.actor)) || 'Someone';
  const undo = entry.reverts ? ` (undoing change #${entry.reverts})` : '';
  return `${who} ${activityAction(entry, state)}${undo}`;
}

// Whether a board event (as applied) is about the card `taskId`: the open activity panel
// reloads then.
export function eventTouches(event, taskId) {
  const data = (event && event.data) || {};
  if (data.id === taskId && event.name.startsWith('task.')) return true;
  if (data.task === taskId || (data.task && data.task.id === taskId)) return true;
  const lists = [data.tasks, data.carried];
  return lists.some(
    (rows) => Array.isArray(rows) && rows.some((r) => r === taskId || (r && r.id === taskId)),
  );
}
