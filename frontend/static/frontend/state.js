// Board state as plain data, changed only by pure functions: a snapshot in, events in seq
// order, REST responses for the author's own writes. No DOM, no I/O: `node --test` covers it.

import { cardHandlers, labelsOf } from './card-state.js';

export const STATUSES = [
  { id: 1, label: 'Not Started' },
  { id: 2, label: 'In Progress' },
  { id: 3, label: 'Testing' },
  { id: 4, label: 'Done' },
];

const byId = (rows) => Object.fromEntries(rows.map((row) => [row.id, row]));

// What a caller may do, exactly as the server says it (`can` on the board JSON, on each
// member and on the socket's hello): the page never derives it from a role name, so a new
// role or a changed rule on the server needs no change here. Absent means nothing.
export function accessOf(row) {
  const can = (row && row.can) || {};
  return { write: can.write === true, manage: can.manage === true };
}

// me: the current user's id, so a member.updated about them changes what the page offers.
export function fromSnapshot(snapshot, { me = null } = {}) {
  return {
    board: snapshot.board,
    members: snapshot.members.slice(),
    sprints: byId(snapshot.sprints),
    tasks: byId(snapshot.tasks),
    labels: labelsOf(snapshot),
    seq: snapshot.seq,
    me,
    can: accessOf(snapshot.board),
  };
}

// The socket's hello: who we are and what we may do now (the role may have changed since
// the snapshot was read).
export function applyHello(state, hello) {
  return { ...state, me: hello.user ? hello.user.id : state.me, can: accessOf(hello) };
}

// An upsert never goes back in time: a REST response may already hold a newer version than
// an event still in flight for the same row.
function upsert(rows, row) {
  const old = rows[row.id];
  if (old && old.version > row.version) return rows;
  return { ...rows, [row.id]: row };
}

function without(rows, id) {
  if (!(id in rows)) return rows;
  const copy = { ...rows };
  delete copy[id];
  return copy;
}

function memberUpsert(members, member) {
  const rest = members.filter((m) => m.user.id !== member.user.id);
  return [...rest, member];
}

// member.added / member.updated: a change of our own membership carries our new `can`.
function applyMember(state, member) {
  const next = { ...state, members: memberUpsert(state.members, member) };
  if (state.me != null && member.user.id === state.me) next.can = accessOf(member);
  return next;
}

const userIdOf = (user) => (typeof user === 'object' && user !== null ? user.id : user);

const handlers = {
  'board.updated': (s, d) => ({ ...s, board: { ...s.board, ...d } }),
  'member.added': applyMember,
  'member.updated': applyMember,
  'member.removed': (s, d) => {
    const gone = userIdOf(d.user);
    let tasks = s.tasks;
    for (const id of d.unassigned || []) {
      if (tasks[id]) tasks = { ...tasks, [id]: { ...tasks[id], assigned: null } };
    }
    return { ...s, tasks, members: s.members.filter((m) => m.user.id !== gone) };
  },
  'sprint.created': (s, d) => ({ ...s, sprints: upsert(s.sprints, d) }),
  'sprint.updated': (s, d) => ({ ...s, sprints: upsert(s.sprints, d) }),
  'sprint.deleted': (s, d) => {
    let tasks = s.tasks;
    for (const task of d.tasks || []) tasks = upsert(tasks, task);
    return { ...s, tasks, sprints: without(s.sprints, d.id) };
  },
  'task.created': (s, d) => ({ ...s, tasks: upsert(s.tasks, d) }),
  'task.updated': (s, d) => ({ ...s, tasks: upsert(s.tasks, d) }),
  'task.moved': (s, d) => {
    let tasks = upsert(s.tasks, d.task);
    // Siblings keep their version on a renumber (the server does not bump it), so only
    // their order changes.
    for (const { id, order } of d.reordered || []) {
      if (tasks[id]) tasks = { ...tasks, [id]: { ...tasks[id], order } };
    }
    return { ...s, tasks };
  },
  'task.deleted': (s, d) => ({ ...s, tasks: without(s.tasks, d.id) }),
  'task.restored': (s, d) => ({ ...s, tasks: upsert(s.tasks, d) }),
  // Lifecycle and planning: the sprint's new values and every task the operation moved.
  'sprint.started': (s, d) => withSprintAndTasks(s, d.sprint, d.tasks),
  'sprint.closed': (s, d) => withSprintAndTasks(s, d.sprint, d.carried),
  'sprint.planned': (s, d) => withSprintAndTasks(s, d.sprint, d.tasks),
  ...cardHandlers,
};

function withSprintAndTasks(state, sprint, rows = []) {
  let tasks = state.tasks;
  for (const task of rows || []) tasks = upsert(tasks, task);
  return { ...state, tasks, sprints: upsert(state.sprints, sprint) };
}

// Apply exactly the next event. Anything else is reported, not applied: `stale` (already
// seen: a replay overlapping live delivery) or `gap` (an event is missing before it).
export function applyEvent(state, event) {
  if (event.seq <= state.seq) return { state, result: 'stale' };
  if (event.seq > state.seq + 1) return { state, result: 'gap' };
  const handler = handlers[event.name];
  const next = handler ? handler(state, event.data) : state;
  return { state: { ...next, seq: event.seq }, result: 'applied' };
}

// Feed one event through a reorder buffer: events ahead of seq wait in `pending` until the
// missing ones arrive (group messages can overtake each other, channels#2025). `gap` tells
// the caller to ask the server to replay from `state.seq`. `applied`: the events applied
// now, in order (an open task dialog shows who changed what).
export function ingest(model, event) {
  let { state } = model;
  const pending = [...model.pending.filter((e) => e.seq !== event.seq), event]
    .filter((e) => e.seq > state.seq)
    .sort((a, b) => a.seq - b.seq);
  const applied = [];
  while (pending.length && pending[0].seq === state.seq + 1) {
    const next = pending.shift();
    state = applyEvent(state, next).state;
    applied.push(next);
  }
  return { model: { state, pending }, gap: pending.length > 0, applied };
}

// The task row an applied event brings (task.updated / task.moved), or null.
export function taskOfEvent(event) {
  if (event.name === 'task.updated') return event.data;
  if (event.name === 'task.moved') return event.data && event.data.task;
  return null;
}

// The author's own write, from the REST response (its event may not have arrived yet).
export function applyLocalTask(state, task) {
  return { ...state, tasks: upsert(state.tasks, task) };
}

export function applyLocalDelete(state, taskId) {
  return { ...state, tasks: without(state.tasks, taskId) };
}

export function applyLocalSprint(state, sprint) {
  return { ...state, sprints: upsert(state.sprints, sprint) };
}

export function applyLocalMember(state, member) {
  return applyMember(state, member);
}

// --- reads -----------------------------------------------------------------------------

export function sprintList(state) {
  return Object.values(state.sprints).sort((a, b) => a.end.localeCompare(b.end) || a.id - b.id);
}

// The sprint a board opens on: the first one still running today, else the latest.
export function defaultSprintId(sprints, today) {
  const sorted = [...sprints].sort((a, b) => a.end.localeCompare(b.end) || a.id - b.id);
  const running = sorted.find((sprint) => sprint.end >= today);
  const pick = running || sorted[sorted.length - 1];
  return pick ? pick.id : null;
}

export function columnsFor(sprintId) {
  const backlog = { key: 'backlog', title: 'Backlog', sprint: null, status: 1 };
  if (sprintId == null) return [backlog];
  return [
    backlog,
    ...STATUSES.map((s) => ({ key: `s${s.id}`, title: s.label, sprint: sprintId, status: s.id })),
  ];
}

export function columnTasks(state, column) {
  return Object.values(state.tasks)
    .filter(
      (t) => t.sprint === column.sprint && (column.sprint === null || t.status === column.status),
    )
    .sort((a, b) => a.order - b.order || a.id - b.id);
}

export function columnOf(task, sprintId) {
  if (task.sprint === null) return 'backlog';
  if (task.sprint !== sprintId) return null;
  return `s${task.status}`;
}

// The move body's anchor for a drop at `index` among the target column's cards, the
// dragged card left out (it may already sit in that column).
export function dropAnchor(columnIds, draggedId, index) {
  const ids = columnIds.filter((id) => id !== draggedId);
  const at = Math.max(0, Math.min(index, ids.length));
  if (at < ids.length) return { before: ids[at] };
  if (ids.length) return { after: ids[ids.length - 1] };
  return {};
}

// A keyboard move: left/right to the neighbouring column's end, up/down one place among the
// cards the filter shows (a hidden neighbour would make the press look like it did nothing).
// Returns the move body ({sprint, status, before|after}) or null when the card cannot go.
export function keyboardMove(state, sprintId, taskId, direction, filter = NO_FILTER) {
  const task = state.tasks[taskId];
  if (!task) return null;
  const columns = columnsFor(sprintId);
  const from = columns.findIndex((c) => c.key === columnOf(task, sprintId));
  if (from < 0) return null;
  if (direction === 'left' || direction === 'right') {
    const to = columns[from + (direction === 'left' ? -1 : 1)];
    if (!to) return null;
    const ids = columnTasks(state, to).map((t) => t.id);
    return { sprint: to.sprint, status: to.status, ...dropAnchor(ids, taskId, ids.length) };
  }
  const column = columns[from];
  const keep = taskFilter(state, filter);
  const ids = columnTasks(state, column)
    .filter((t) => t.id === taskId || keep(t))
    .map((t) => t.id);
  const at = ids.indexOf(taskId);
  const base = { sprint: column.sprint, status: column.status };
  if (direction === 'up') return at > 0 ? { ...base, before: ids[at - 1] } : null;
  if (direction === 'down') return at < ids.length - 1 ? { ...base, after: ids[at + 1] } : null;
  return null;
}

// Who is here: one entry per user (a user may have several tabs open), others first
// sorted by name, each with the task they look at, if it still exists.
export function presenceView(users, tasks, meId) {
  const seen = new Map();
  for (const user of users) {
    const prev = seen.get(user.id);
    if (!prev || (prev.focus == null && user.focus != null)) seen.set(user.id, user);
  }
  return [...seen.values()]
    .map((u) => ({
      ...u,
      me: u.id === meId,
      task: u.focus != null ? tasks[u.focus] || null : null,
    }))
    .sort((a, b) => Number(b.me) - Number(a.me) || a.username.localeCompare(b.username));
}

export function initials(name) {
  const parts = String(name || '?')
    .trim()
    .split(/[\s._-]+/)
    .filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[1][0] : (parts[0] || '?').slice(0, 2);
  return letters.toUpperCase();
}

// A stable colour per user, so an avatar means the same person everywhere on the page.
export function hueOf(name) {
  let hash = 0;
  for (const ch of String(name)) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}

export function dueState(due, today) {
  if (!due) return null;
  if (due < today) return 'overdue';
  if (due === today) return 'today';
  return 'later';
}

// --- people, filters and the phone's one column (issue 15) ------------------------------

// The name a person goes by on this board: the member's full name, else the username.
export function displayName(state, username) {
  if (!username) return '';
  const member = state.members.find((m) => m.user.username === username);
  return (member && member.user.full_name) || username;
}

export function usernameOf(state, userId) {
  const member = state.members.find((m) => m.user.id === userId);
  return member ? member.user.username : null;
}

// assignee: '' anyone, 'me', 'none' (unassigned) or '@<username>'. The '@' keeps a member
// whose username is "me" or "none" apart from the two choices.
export const NO_FILTER = Object.freeze({ assignee: '', q: '', labels: [] });

const ASSIGNEE = /^(me|none|@.+)$/;
const MAX_QUERY = 100;
const MAX_LABELS = 10; // the REST filter's bound too (board/api/filters.py)

// From the page's URL (?assignee=&q=), so a reload or a shared link keeps the filter.
export function parseFilter(params) {
  const assignee = params.get('assignee') || '';
  const labels = params
    .getAll('label')
    .filter((x) => /^\d{1,15}$/.test(x))
    .map(Number)
    .slice(0, MAX_LABELS);
  return {
    assignee: ASSIGNEE.test(assignee) ? assignee : '',
    q: (params.get('q') || '').slice(0, MAX_QUERY),
    labels: [...new Set(labels)],
  };
}

// The URL's params with the filter in them (others, like ?sprint=, kept); empty ones dropped.
export function filterParams(filter, params) {
  const next = new URLSearchParams(params);
  for (const key of ['assignee', 'q']) {
    const value = key === 'q' ? filter.q.trim() : filter.assignee;
    if (value) next.set(key, value);
    else next.delete(key);
  }
  next.delete('label');
  for (const id of filter.labels || []) next.append('label', String(id));
  return next;
}

export function isFiltering(filter) {
  return Boolean(filter && (filter.assignee || filter.q.trim() || (filter.labels || []).length));
}

// Accents and case do not matter: "cafe" finds "Café".
function fold(text) {
  return String(text || '')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLocaleLowerCase();
}

// The filter as a predicate on tasks; every word of the query must occur in the name or
// the description.
export function taskFilter(state, filter = NO_FILTER) {
  const { assignee } = filter;
  const words = fold(filter.q).split(/\s+/).filter(Boolean);
  const me = assignee === 'me' ? usernameOf(state, state.me) : null;
  const labels = filter.labels || [];
  return (task) => {
    // Every chosen label must be on the card (as the REST filter `label` does).
    if (labels.some((id) => !(task.labels || []).includes(id))) return false;
    if (assignee === 'me' && (me === null || task.assigned !== me)) return false;
    if (assignee === 'none' && task.assigned) return false;
    if (assignee.startsWith('@') && task.assigned !== assignee.slice(1)) return false;
    if (!words.length) return true;
    const text = `${fold(task.name)}\n${fold(task.description)}`;
    return words.every((word) => text.includes(word));
  };
}

// A column's cards as the filter shows them, and how many it holds in all.
export function visibleTasks(state, column, filter = NO_FILTER) {
  const all = columnTasks(state, column);
  const keep = taskFilter(state, filter);
  return { shown: isFiltering(filter) ? all.filter(keep) : all, total: all.length };
}

// The assignee filter's choices after "Anyone", "Me" and "Unassigned": members by name.
export function assigneeChoices(state) {
  return state.members
    .map((m) => ({ value: `@${m.user.username}`, label: m.user.full_name || m.user.username }))
    .sort((a, b) => a.label.localeCompare(b.label) || a.value.localeCompare(b.value));
}

// The column a phone shows first: the first one with a card in it, else the first.
export function defaultColumnKey(state, sprintId) {
  const columns = columnsFor(sprintId);
  const full = columns.find((c) => columnTasks(state, c).length > 0);
  return (full || columns[0]).key;
}

// Where a card may be sent from a "Move to…" control: the board's other columns, each as
// the move body that puts the card at that column's end. A Done card cannot leave its
// sprint (the server's rule 2), so the backlog is not offered for it.
export function moveTargets(task, sprintId) {
  const here = columnOf(task, sprintId);
  const stuck = task.status === 4 && task.sprint !== null;
  return columnsFor(sprintId)
    .filter((c) => c.key !== here && !(stuck && c.sprint === null))
    .map((c) => ({ key: c.key, title: c.title, body: { sprint: c.sprint, status: c.status } }));
}
