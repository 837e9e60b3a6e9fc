// The board's unsaved changes as plain data: writes that could not reach the server wait
// here, in the order the user made them, until the connection is back. What a repeated
// change of one task becomes (one entry, not a pile), what each answer means, and how the
// board looks with the changes on top of the server's state. No DOM, no I/O: `node --test`
// covers it (frontend/tests/outbox.test.mjs); outbox-runner.js sends.

import { STATUSES } from './state.js';
import { patchBody } from './task-edit.js';

// A change, as the page hands it to add():
//   { kind: 'create', body: {board, sprint, status, name, ...}, name }
//   { kind: 'edit', taskId, fields: {name?, description?, assigned?, due?} (form strings),
//     move: {sprint, status} | null, version, before (the form's values it was made on), name }
//   { kind: 'move', taskId, body: {sprint, status, before?|after?}, name }
//   { kind: 'delete', taskId, version, name }
// An entry adds: id, opId, state ('waiting' | 'sending' | 'failed'), error (when failed).
// A create's task gets a temporary negative id until the server names it.

export function emptyQueue() {
  return { entries: [], nextId: 1, nextTemp: 1 };
}

const pending = (e) => e.state === 'waiting';
const replace = (queue, entries) => ({ ...queue, entries });

// Returns { queue, entry } where entry is the new or merged entry, or null when the change
// cancelled what was queued (a delete of a task that was never created).
export function add(queue, change, opId) {
  const { entries } = queue;
  const mine = (e) => e.taskId === change.taskId && pending(e);
  if (change.kind === 'create') {
    const entry = fresh(queue, opId, { ...change, taskId: -queue.nextTemp });
    return { queue: { ...push(queue, entry), nextTemp: queue.nextTemp + 1 }, entry };
  }
  if (change.kind === 'delete' && change.taskId < 0) {
    const create = entries.find((e) => e.kind === 'create' && e.taskId === change.taskId);
    if (!create || create.state !== 'sending') {
      return {
        queue: replace(
          queue,
          entries.filter((e) => e.taskId !== change.taskId),
        ),
        entry: null,
      };
    }
  }
  const create = entries.find((e) => e.kind === 'create' && mine(e));
  if (create && (change.kind === 'edit' || change.kind === 'move')) {
    const body = { ...create.body, ...createPart(change) };
    return merged(queue, create, { body, name: body.name }, opId);
  }
  if (change.kind === 'delete') {
    // Edits of a task about to be deleted have nothing left to do.
    const rest = entries.filter((e) => !(e.taskId === change.taskId && e.state !== 'sending'));
    const entry = fresh(queue, opId, change);
    return { queue: push(replace(queue, rest), entry), entry };
  }
  const same = [...entries].reverse().find((e) => e.kind === change.kind && mine(e));
  if (same && change.kind === 'move')
    return merged(queue, same, { body: change.body, name: change.name }, opId);
  if (same && change.kind === 'edit') {
    return merged(
      queue,
      same,
      {
        fields: { ...same.fields, ...change.fields },
        move: change.move || same.move,
        column: change.column || same.column,
        name: change.name,
      },
      opId,
    );
  }
  const entry = fresh(queue, opId, change);
  return { queue: push(queue, entry), entry };
}

function fresh(queue, opId, change) {
  return { ...change, id: queue.nextId, opId, state: 'waiting', error: null, tries: 0 };
}

function push(queue, entry) {
  return { ...queue, entries: [...queue.entries, entry], nextId: queue.nextId + 1 };
}

// An entry already sent once may have reached the server with its answer lost: what it
// becomes goes out under a new op id, so that attempt's echo (echo()) is not taken for it.
function merged(queue, entry, patch, opId) {
  const next = { ...entry, ...patch, ...(entry.tries ? { opId } : {}) };
  return {
    queue: replace(
      queue,
      queue.entries.map((e) => (e === entry ? next : e)),
    ),
    entry: next,
  };
}

// What an edit or a move of a task not yet created changes in its create body.
function createPart(change) {
  if (change.kind === 'move') return { sprint: change.body.sprint, status: change.body.status };
  const move = change.move ? { sprint: change.move.sprint, status: change.move.status } : {};
  return { ...patchBody(change.fields), ...move };
}

// The next entry to send: the first waiting one, skipping changes of a task whose create
// has not gone through yet (they go once it has a real id, or with it when discarded).
export function next(queue) {
  return queue.entries.find((e) => pending(e) && (e.kind === 'create' || e.taskId > 0)) || null;
}

export function update(queue, id, patch) {
  return replace(
    queue,
    queue.entries.map((e) => (e.id === id ? { ...e, ...patch } : e)),
  );
}

// What an answer means for an entry: 'retry' (it never reached the app: keep it, in its
// place, and stop sending), 'done' (a delete of a task already gone counts), or 'failed'
// (shown with the error until the user retries or discards it: never dropped).
export function outcome(entry, error) {
  if (!error) return 'done';
  if (error.network) return 'retry';
  if (error.status === 404 && entry.kind === 'delete') return 'done';
  return 'failed';
}

// The server took the entry (row: its answer; null for a delete). Later changes of the same
// task were made on top of this one: they build on its version now, and a create's
// temporary id becomes the real one everywhere, anchors of queued moves included.
export function settle(queue, id, row) {
  const at = queue.entries.findIndex((e) => e.id === id);
  if (at < 0) return queue;
  const from = queue.entries[at].taskId;
  const to = row && row.id != null ? row.id : from;
  const swap = (ref) => (ref === from ? to : ref);
  const entries = queue.entries.map((e, i) => {
    if (i <= at) return e;
    const out = e.taskId === from ? { ...e, taskId: to } : { ...e };
    // Only what waits behind it: a change that already failed keeps the version it was
    // refused with, so a retry cannot overwrite what someone else saved.
    if (out.taskId === to && row && 'version' in out && out.state === 'waiting') {
      out.version = row.version;
    }
    if (out.body && ('before' in out.body || 'after' in out.body)) {
      out.body = { ...out.body };
      if ('before' in out.body) out.body.before = swap(out.body.before);
      if ('after' in out.body) out.body.after = swap(out.body.after);
    }
    return out;
  });
  return replace(
    queue,
    entries.filter((e) => e.id !== id),
  );
}

// The socket brought the event of one of our writes (its client_op_id): the server has it.
// On its way: its answer settles it, and meanwhile a create's stand-in gives way to the real
// card (the event can overtake the answer). Waiting or refused: its answer was lost (a
// proxy's 504, a reset connection), so it is settled from the event, never sent twice.
// row: the task the event carries (null for a delete). -> { queue, entry, settled }
export function echo(queue, opId, row) {
  const entry = queue.entries.find((e) => e.opId === opId);
  if (!entry) return { queue, entry: null, settled: false };
  if (entry.state === 'sending') {
    return { queue: update(queue, entry.id, { echoed: true }), entry, settled: false };
  }
  if (entry.kind === 'edit' && entry.move && row) {
    // The fields went in; the column has yet to go, on top of them.
    const next = update(queue, entry.id, { fields: {}, version: row.version });
    return { queue: next, entry, settled: false };
  }
  return { queue: settle(queue, entry.id, row), entry, settled: true };
}

export function fail(queue, id, error) {
  const detail = errorOf(error);
  return update(queue, id, { state: 'failed', error: detail });
}

function errorOf(error) {
  const status = error.status;
  const body = error.body || {};
  let message = body.detail || error.message || 'The server refused this change.';
  if (status === 409) message = 'Someone else changed this task meanwhile.';
  if (status === 404) message = 'This task no longer exists.';
  if (status === 400) message = fieldMessages(body) || message;
  if (status === 403 || status === 401) message = 'You can no longer change this board.';
  return { status, body, message };
}

function fieldMessages(body) {
  return Object.entries(body)
    .filter(([key]) => key !== 'current')
    .map(([, value]) => (Array.isArray(value) ? value.join(' ') : String(value)))
    .join(' ');
}

// Back in line to be sent (a network failure, or the user's Retry after an error).
export function retry(queue, id = null) {
  return replace(
    queue,
    queue.entries.map((e) =>
      e.state === 'failed' && (id === null || e.id === id)
        ? { ...e, state: 'waiting', error: null }
        : e,
    ),
  );
}

// Dropped by the user: one entry (with every queued change of a task it would have
// created), or all of them. One on its way stays: its answer decides.
export function discard(queue, id = null) {
  const gone = queue.entries.filter((e) => e.state !== 'sending' && (id === null || e.id === id));
  const temps = new Set(gone.filter((e) => e.kind === 'create').map((e) => e.taskId));
  const ids = new Set(gone.map((e) => e.id));
  const entries = queue.entries.filter(
    (e) => !ids.has(e.id) && !(temps.has(e.taskId) && e.state !== 'sending'),
  );
  return replace(queue, entries);
}

// --- the board as the user expects it ----------------------------------------------------

// state.tasks with every queued change applied in order, so the board shows the user's
// change until the server answers; the server's rows win as entries settle.
export function overlay(state, queue) {
  if (!queue.entries.length) return state;
  let tasks = { ...state.tasks };
  for (const entry of queue.entries) {
    if (!(entry.kind === 'create' && entry.echoed)) tasks = applyEntry(tasks, entry, state);
  }
  return { ...state, tasks };
}

function applyEntry(tasks, entry, state) {
  const row = tasks[entry.taskId];
  if (entry.kind === 'create') {
    const temp = { id: entry.taskId, board: state.board.id, description: '', assigned: null };
    Object.assign(temp, { labels: [], comments_count: 0, checklist_total: 0, checklist_done: 0 });
    const body = { ...temp, due: null, ...entry.body, version: 0 };
    body.status_display = statusLabel(body);
    return { ...tasks, [entry.taskId]: { ...body, order: tailOrder(tasks, body) } };
  }
  if (!row) return tasks;
  if (entry.kind === 'delete') {
    const copy = { ...tasks };
    delete copy[entry.taskId];
    return copy;
  }
  if (entry.kind === 'edit') {
    const moved = entry.move ? placed(tasks, row, entry.move) : row;
    return { ...tasks, [row.id]: { ...moved, ...patchBody(entry.fields) } };
  }
  return { ...tasks, [row.id]: placed(tasks, row, entry.body) };
}

const inColumn = (task, to) =>
  task.sprint === to.sprint && (to.sprint === null || task.status === to.status);

function tailOrder(tasks, to) {
  const orders = Object.values(tasks)
    .filter((t) => t.id !== to.id && inColumn(t, to))
    .map((t) => t.order);
  return (orders.length ? Math.max(...orders) : 0) + 1024;
}

// A move's row: its column, and an order just before or after its anchor.
function placed(tasks, row, move) {
  const to = { sprint: move.sprint, status: move.status };
  const anchor = tasks[move.before != null ? move.before : move.after];
  let order = tailOrder(tasks, { ...to, id: row.id });
  if (anchor && inColumn(anchor, to)) order = anchor.order + (move.before != null ? -0.5 : 0.5);
  return { ...row, ...to, status_display: statusLabel(to), order };
}

function statusLabel({ sprint, status }) {
  if (sprint === null) return 'Backlog';
  const found = STATUSES.find((s) => s.id === status);
  return found ? found.label : '';
}

// --- what the panel says -----------------------------------------------------------------

export function unsavedIds(queue) {
  return new Set(queue.entries.filter((e) => e.kind !== 'delete').map((e) => e.taskId));
}

export function countText(queue) {
  const n = queue.entries.length;
  return n === 1 ? '1 change not saved' : `${n} changes not saved`;
}

export function labelOf(entry) {
  const name = `“${entry.name || 'task'}”`;
  if (entry.kind === 'create') return `Create ${name}`;
  if (entry.kind === 'delete') return `Delete ${name}`;
  if (entry.kind === 'move') return `Move ${name} to ${statusLabel(entry.body)}`;
  return `Edit ${name}`;
}

export function stateText(entry) {
  if (entry.state === 'sending') return 'Sending…';
  if (entry.state === 'failed') return entry.error.message;
  return 'Waiting for the connection';
}
