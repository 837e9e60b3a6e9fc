// The pure board state: snapshot in, events in seq order, gaps detected, moves computed.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as S from '../static/frontend/state.js';

const task = (id, over = {}) => ({
  id,
  board: 1,
  sprint: 10,
  name: `T${id}`,
  description: '',
  status: 1,
  status_display: 'Not Started',
  order: id * 1024,
  assigned: null,
  started: null,
  due: null,
  completed: null,
  version: 1,
  ...over,
});

function snapshot() {
  return {
    board: {
      id: 1,
      name: 'B',
      description: '',
      owner: 'alice',
      role: 'owner',
      seq: 5,
      can: { write: true, manage: true },
    },
    members: [
      {
        user: { id: 1, username: 'alice', full_name: 'Alice' },
        role: 'owner',
        joined_at: 'x',
        can: { write: true, manage: true },
      },
    ],
    sprints: [{ id: 10, board: 1, name: 'S1', description: '', end: '2030-01-10', version: 1 }],
    tasks: [
      task(1),
      task(2),
      task(3, { status: 2, status_display: 'In Progress' }),
      task(4, { sprint: null }),
    ],
    seq: 5,
  };
}

const ev = (seq, name, data) => ({
  type: 'event',
  seq,
  name,
  data,
  actor: null,
  client_op_id: null,
});

test('fromSnapshot indexes rows and keeps seq', () => {
  const s = S.fromSnapshot(snapshot());
  assert.equal(s.seq, 5);
  assert.equal(s.tasks[2].name, 'T2');
  assert.equal(s.sprints[10].name, 'S1');
});

test('applyEvent applies the next seq only; reports stale and gap', () => {
  const s = S.fromSnapshot(snapshot());
  assert.equal(S.applyEvent(s, ev(5, 'task.deleted', { id: 1 })).result, 'stale');
  assert.equal(S.applyEvent(s, ev(7, 'task.deleted', { id: 1 })).result, 'gap');
  const { state, result } = S.applyEvent(
    s,
    ev(6, 'task.deleted', { id: 1, sprint: 10, status: 1 }),
  );
  assert.equal(result, 'applied');
  assert.equal(state.seq, 6);
  assert.equal(state.tasks[1], undefined);
  assert.ok(s.tasks[1], 'the old state is untouched');
});

test('task.created, task.updated and task.moved with reordered siblings', () => {
  let s = S.fromSnapshot(snapshot());
  s = S.applyEvent(s, ev(6, 'task.created', task(9, { name: 'New' }))).state;
  s = S.applyEvent(s, ev(7, 'task.updated', { ...s.tasks[9], name: 'Renamed', version: 2 })).state;
  assert.equal(s.tasks[9].name, 'Renamed');
  const moved = { ...s.tasks[9], status: 2, order: 1024, version: 3 };
  s = S.applyEvent(
    s,
    ev(8, 'task.moved', { task: moved, reordered: [{ id: 3, order: 2048 }] }),
  ).state;
  assert.equal(s.tasks[9].status, 2);
  assert.equal(s.tasks[3].order, 2048);
  assert.equal(s.tasks[3].version, 1, 'a renumbered sibling keeps its version');
  const col = S.columnsFor(10).find((c) => c.key === 's2');
  assert.deepEqual(
    S.columnTasks(s, col).map((t) => t.id),
    [9, 3],
  );
});

test('an older version never overwrites a newer one (REST response before its event)', () => {
  let s = S.fromSnapshot(snapshot());
  s = S.applyLocalTask(s, { ...s.tasks[1], name: 'Mine', version: 3 });
  s = S.applyEvent(s, ev(6, 'task.updated', { ...s.tasks[1], name: 'Older', version: 2 })).state;
  assert.equal(s.tasks[1].name, 'Mine');
  assert.equal(s.seq, 6, 'the event still counts');
});

test('sprint.deleted returns its tasks to the backlog; member.removed unassigns', () => {
  let s = S.fromSnapshot(snapshot());
  s = S.applyLocalTask(s, { ...s.tasks[2], assigned: 'bob', version: 2 });
  const back = [1, 2, 3].map((id) => ({
    ...s.tasks[id],
    sprint: null,
    status: 1,
    version: s.tasks[id].version + 1,
  }));
  s = S.applyEvent(s, ev(6, 'sprint.deleted', { id: 10, tasks: back })).state;
  assert.equal(s.sprints[10], undefined);
  assert.equal(S.columnTasks(s, S.columnsFor(null)[0]).length, 4);
  s = S.applyEvent(
    s,
    ev(7, 'member.added', { user: { id: 2, username: 'bob', full_name: '' }, role: 'member' }),
  ).state;
  assert.equal(s.members.length, 2);
  s = S.applyEvent(
    s,
    ev(8, 'member.removed', { user: { id: 2, username: 'bob' }, unassigned: [2] }),
  ).state;
  assert.equal(s.members.length, 1);
  assert.equal(s.tasks[2].assigned, null);
});

test('board.updated merges fields', () => {
  const s = S.applyEvent(
    S.fromSnapshot(snapshot()),
    ev(6, 'board.updated', { id: 1, name: 'Renamed' }),
  ).state;
  assert.equal(s.board.name, 'Renamed');
  assert.equal(s.board.role, 'owner');
});

test('ingest buffers out-of-order events and reports the gap until it closes', () => {
  let model = { state: S.fromSnapshot(snapshot()), pending: [] };
  let out = S.ingest(model, ev(7, 'task.deleted', { id: 2 }));
  assert.equal(out.gap, true);
  assert.equal(out.model.state.seq, 5);
  out = S.ingest(out.model, ev(7, 'task.deleted', { id: 2 }));
  assert.equal(out.model.pending.length, 1, 'a duplicate is kept once');
  out = S.ingest(out.model, ev(6, 'task.deleted', { id: 1 }));
  assert.equal(out.gap, false);
  assert.equal(out.model.state.seq, 7);
  assert.equal(out.model.state.tasks[1], undefined);
  assert.equal(out.model.state.tasks[2], undefined);
  out = S.ingest(out.model, ev(6, 'task.deleted', { id: 3 }));
  assert.equal(out.model.state.tasks[3].id, 3, 'a replayed old event is ignored');
  model = out.model;
  assert.equal(model.pending.length, 0);
});

test('dropAnchor picks before/after relative to the drop index', () => {
  assert.deepEqual(S.dropAnchor([1, 2, 3], 9, 0), { before: 1 });
  assert.deepEqual(S.dropAnchor([1, 2, 3], 9, 3), { after: 3 });
  assert.deepEqual(S.dropAnchor([1, 2, 3], 2, 1), { before: 3 }, 'the dragged card is left out');
  assert.deepEqual(S.dropAnchor([], 9, 0), {});
  assert.deepEqual(S.dropAnchor([5], 5, 0), {});
});

test('keyboardMove: left/right to the next column end, up/down within', () => {
  const s = S.fromSnapshot(snapshot());
  assert.deepEqual(S.keyboardMove(s, 10, 1, 'right'), { sprint: 10, status: 2, after: 3 });
  assert.deepEqual(S.keyboardMove(s, 10, 1, 'left'), { sprint: null, status: 1, after: 4 });
  assert.equal(S.keyboardMove(s, 10, 4, 'left'), null, 'nothing left of the backlog');
  assert.deepEqual(S.keyboardMove(s, 10, 2, 'up'), { sprint: 10, status: 1, before: 1 });
  assert.deepEqual(S.keyboardMove(s, 10, 1, 'down'), { sprint: 10, status: 1, after: 2 });
  assert.equal(S.keyboardMove(s, 10, 2, 'down'), null);
  assert.equal(S.keyboardMove(s, 10, 3, 'right').status, 3);
});

test('defaultSprintId prefers the first running sprint', () => {
  const sprints = [
    { id: 1, end: '2030-01-01' },
    { id: 2, end: '2020-01-01' },
    { id: 3, end: '2031-01-01' },
  ];
  assert.equal(S.defaultSprintId(sprints, '2025-06-01'), 1);
  assert.equal(S.defaultSprintId(sprints, '2032-01-01'), 3);
  assert.equal(S.defaultSprintId([], '2025-06-01'), null);
});

test('presenceView: one entry per user, me first, with the focused task', () => {
  const s = S.fromSnapshot(snapshot());
  const users = [
    { id: 2, username: 'bob', focus: null },
    { id: 2, username: 'bob', focus: 3 },
    { id: 1, username: 'alice', focus: 99 },
  ];
  const view = S.presenceView(users, s.tasks, 1);
  assert.deepEqual(
    view.map((p) => p.username),
    ['alice', 'bob'],
  );
  assert.equal(view[0].me, true);
  assert.equal(view[0].task, null, 'a focus on a vanished task shows nothing');
  assert.equal(view[1].task.name, 'T3');
});

test('what the page offers comes from `can` only, and follows our own member.updated', () => {
  let s = S.fromSnapshot(snapshot(), { me: 2 });
  assert.deepEqual(s.can, { write: true, manage: true });
  const bob = { user: { id: 2, username: 'bob', full_name: '' }, role: 'member' };
  s = S.applyEvent(
    s,
    ev(6, 'member.updated', { ...bob, can: { write: false, manage: false } }),
  ).state;
  assert.deepEqual(s.can, { write: false, manage: false }, 'our own membership changed');
  const carol = { user: { id: 3, username: 'carol', full_name: '' }, role: 'owner' };
  s = S.applyEvent(
    s,
    ev(7, 'member.added', { ...carol, can: { write: true, manage: true } }),
  ).state;
  assert.deepEqual(s.can, { write: false, manage: false }, 'someone else: ours unchanged');
  s = S.applyEvent(s, ev(8, 'board.updated', { id: 1, name: 'Renamed' })).state;
  assert.deepEqual(s.can, { write: false, manage: false });
  s = S.applyHello(s, { user: { id: 2 }, role: 'viewer', can: { write: true, manage: false } });
  assert.deepEqual(s.can, { write: true, manage: false }, 'the hello says what we may do now');
});

test('accessOf: no `can` (or anything but true) means nothing, whatever the role says', () => {
  assert.deepEqual(S.accessOf({ role: 'owner' }), { write: false, manage: false });
  assert.deepEqual(S.accessOf(null), { write: false, manage: false });
  assert.deepEqual(S.accessOf({ can: { write: 1, manage: true } }), { write: false, manage: true });
});

test('ingest reports the events it applied, in order; taskOfEvent reads their row', () => {
  const model = { state: S.fromSnapshot(snapshot()), pending: [] };
  const moved = ev(7, 'task.moved', { task: task(2, { status: 2, version: 2 }), reordered: [] });
  let out = S.ingest(model, moved);
  assert.deepEqual(out.applied, []);
  out = S.ingest(out.model, ev(6, 'task.updated', task(1, { name: 'X', version: 2 })));
  assert.deepEqual(
    out.applied.map((e) => e.seq),
    [6, 7],
  );
  assert.equal(S.taskOfEvent(out.applied[0]).name, 'X');
  assert.equal(S.taskOfEvent(out.applied[1]).id, 2);
  assert.equal(S.taskOfEvent(ev(8, 'task.deleted', { id: 1 })), null);
});

test('small helpers: initials, hue, due state', () => {
  assert.equal(S.initials('Alice Anders'), 'AA');
  assert.equal(S.initials('bob'), 'BO');
  assert.equal(S.hueOf('bob'), S.hueOf('bob'));
  assert.equal(S.dueState('2025-01-01', '2025-01-02'), 'overdue');
  assert.equal(S.dueState('2025-01-02', '2025-01-02'), 'today');
  assert.equal(S.dueState(null, '2025-01-02'), null);
});
