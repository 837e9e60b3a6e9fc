// The board's past: instants in the board's zone, past snapshots, undo offers, trash texts
// (history-state.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as H from '../static/frontend/history-state.js';

test('a wall time in the board zone becomes the UTC instant, across DST', () => {
  assert.equal(H.zonedToIso('2026-01-15T09:30', 'Europe/Paris'), '2026-01-15T08:30:00.000Z');
  assert.equal(H.zonedToIso('2026-07-15T09:30:05', 'Europe/Paris'), '2026-07-15T07:30:05.000Z');
  assert.equal(H.zonedToIso('2026-07-15T09:30', 'UTC'), '2026-07-15T09:30:00.000Z');
  assert.equal(H.zonedToIso('2026-03-08T12:00', 'America/New_York'), '2026-03-08T16:00:00.000Z');
  // The day DST starts in Paris: 01:30 is still winter time, 03:30 summer time.
  assert.equal(H.zonedToIso('2026-03-29T01:30', 'Europe/Paris'), '2026-03-29T00:30:00.000Z');
  assert.equal(H.zonedToIso('2026-03-29T03:30', 'Europe/Paris'), '2026-03-29T01:30:00.000Z');
  // A time the clock skipped is read past the gap, not refused.
  assert.ok(H.zonedToIso('2026-03-29T02:30', 'Europe/Paris'));
  assert.equal(H.zonedToIso('yesterday', 'UTC'), null);
  assert.equal(H.zonedToIso('', 'UTC'), null);
});

test('an instant reads back as the same wall time', () => {
  const iso = H.zonedToIso('2026-10-25T02:15:00', 'Asia/Kolkata');
  assert.equal(H.isoToZonedLocal(iso, 'Asia/Kolkata'), '2026-10-25T02:15:00');
  assert.equal(H.isoToZonedLocal('2026-01-15T08:30:00Z', 'Europe/Paris'), '2026-01-15T09:30:00');
  assert.equal(H.isoToZonedLocal('nonsense', 'UTC'), '');
  assert.match(
    H.formatInZone('2026-01-15T08:30:00Z', 'Europe/Paris', 'en-GB'),
    /09:30:00 \(Europe\/Paris\)$/,
  );
});

const snapshot = {
  board: { id: 1, name: 'B', timezone: 'UTC', can: { write: true, manage: true } },
  members: [],
  sprints: [{ id: 10, name: 'S1', end: '2030-01-01' }],
  tasks: [{ id: 5, name: 'Old name', sprint: 10, status: 2, order: 1 }],
  seq: 7,
  as_of: { seq: 7, at: '2026-01-15T08:30:00Z' },
};

test('a past snapshot is read-only whatever the role, and titled by its time', () => {
  const past = H.pastState(snapshot, 3);
  assert.deepEqual(past.can, { write: false, manage: false });
  assert.equal(past.tasks[5].name, 'Old name');
  assert.deepEqual(past.asOf, { seq: 7, at: '2026-01-15T08:30:00Z' });
  assert.match(H.asOfTitle(past, 'UTC'), /^Board as of .*8:30:00\b.*\(UTC\) \(read-only\)$/);
  const untimed = H.pastState({ ...snapshot, as_of: undefined });
  assert.equal(H.asOfTitle(untimed, 'UTC'), 'Board as of change #7 (read-only)');
});

test('steps stop at the retained history and at the live head', () => {
  assert.deepEqual(H.steps(5, { historyFrom: 0, head: 9 }), { earlier: 4, later: 6 });
  assert.deepEqual(H.steps(3, { historyFrom: 3, head: 3 }), { earlier: null, later: null });
});

const me = { id: 1, username: 'alice' };
const moved = (over = {}) => ({
  seq: 12,
  name: 'task.moved',
  actor: me,
  data: { task: { id: 5, name: 'Fix login', sprint: 10, status: 4 }, reordered: [] },
  ...over,
});

test('my own update, move and delete are offered for undo, with what happened', () => {
  const sprints = { 10: { id: 10, name: '' } };
  assert.deepEqual(
    H.undoOffer(moved(), 1, () => null, sprints),
    {
      seq: 12,
      taskId: 5,
      title: 'Moved “Fix login” to Done',
    },
  );
  const named = H.undoOffer(moved(), 1, () => null, { 10: { id: 10, name: 'Sprint 7' } });
  assert.equal(named.title, 'Moved “Fix login” to Done (Sprint 7)');
  const toBacklog = moved({ data: { task: { id: 5, name: 'Fix login', sprint: null } } });
  assert.equal(H.undoOffer(toBacklog, 1).title, 'Moved “Fix login” to Backlog');
  const saved = { seq: 13, name: 'task.updated', actor: me, data: { id: 5, name: 'Fix it' } };
  assert.equal(H.undoOffer(saved, 1).title, 'Saved “Fix it”');
  // A delete carries no name: the page remembers it.
  const deleted = { seq: 14, name: 'task.deleted', actor: me, data: { id: 5, status: 2 } };
  assert.equal(
    H.undoOffer(deleted, 1, (id) => (id === 5 ? 'Fix it' : null)).title,
    'Deleted “Fix it”',
  );
  assert.equal(H.undoOffer(deleted, 1).title, 'Deleted “the card”');
});

test("others' changes, undos and other kinds are not offered", () => {
  assert.equal(H.undoOffer(moved({ actor: { id: 2 } }), 1), null);
  assert.equal(H.undoOffer(moved({ actor: null }), 1), null);
  assert.equal(H.undoOffer(moved(), null), null);
  const undo = moved({ data: { task: { id: 5, name: 'x', sprint: null }, reverts: 11 } });
  assert.equal(H.undoOffer(undo, 1), null);
  assert.equal(H.undoOffer({ seq: 3, name: 'task.created', actor: me, data: { id: 5 } }, 1), null);
  assert.equal(H.undoOffer({ seq: 3, name: 'task.restored', actor: me, data: { id: 5 } }, 1), null);
  assert.ok(H.revertsOffer(undo, { seq: 11 }));
  assert.ok(!H.revertsOffer(undo, { seq: 12 }));
  assert.ok(!H.revertsOffer(moved(), null));
});

test('a refused undo says why and what the card is now', () => {
  const body = {
    detail: 'The task changed after that change.',
    current: { id: 5, name: 'Fix login v2', status_display: 'Testing', assigned: 'bob' },
  };
  assert.equal(
    H.conflictText(body),
    'Someone changed it since: The task changed after that change. Now: “Fix login v2” in Testing, assigned to bob.',
  );
  assert.equal(
    H.conflictText({ detail: 'Gone.', current: null }),
    'Someone changed it since: Gone.',
  );
  assert.match(H.conflictText(null), /^Someone changed it since: /);
});

test('trash rows say when and by whom; next pages keep only path and query', () => {
  const row = {
    id: 5,
    name: 'Fix login',
    deleted_at: '2026-01-15T08:30:00Z',
    deleted_by: { id: 2, username: 'bob' },
  };
  const line = H.trashLine(row, {
    timeZone: 'UTC',
    nameOf: (u) => (u === 'bob' ? 'Bob Brown' : u),
  });
  assert.equal(line.name, 'Fix login');
  assert.match(line.text, /^Deleted .*8:30:00\b.*\(UTC\) by Bob Brown$/);
  assert.equal(H.trashLine({ id: 6, name: 'x' }).text, 'Deleted');
  assert.equal(
    H.nextPath('http://testserver/api/boards/1/trash/?page=2'),
    '/api/boards/1/trash/?page=2',
  );
  assert.equal(H.nextPath(null), null);
});
