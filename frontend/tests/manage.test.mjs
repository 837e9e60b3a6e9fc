// Board, sprint and member management state, and the live boards list (manage-state.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as M from '../static/frontend/manage-state.js';

const member = (id, username, role) => ({
  user: { id, username, full_name: username.toUpperCase() },
  role,
  joined_at: `2026-01-0${id}T00:00:00Z`,
  can: { write: role !== 'viewer', manage: role === 'owner' },
});

function state(over = {}) {
  return {
    board: { id: 1, name: 'B', description: '', owner: 'alice', timezone: 'UTC' },
    members: [member(1, 'alice', 'owner'), member(2, 'bob', 'member'), member(3, 'cy', 'owner')],
    sprints: { 10: { id: 10, end: '2030-01-01', version: 3 }, 11: { id: 11, end: '2030-02-01' } },
    tasks: {
      1: { id: 1, sprint: 10, status: 3, started: '2029-12-01', completed: null, assigned: 'bob' },
      2: { id: 2, sprint: 11, status: 4, started: '2029-12-01', completed: '2029-12-02' },
      3: { id: 3, sprint: null, status: 1, assigned: 'bob' },
    },
    seq: 5,
    me: 1,
    can: { write: true, manage: true },
    ...over,
  };
}

test('a deleted sprint is gone and its cards are backlog, Not Started, without dates', () => {
  const next = M.withoutSprint(state(), 10);
  assert.deepEqual(Object.keys(next.sprints), ['11']);
  assert.deepEqual(next.tasks[1], {
    id: 1,
    sprint: null,
    status: 1,
    started: null,
    completed: null,
    assigned: 'bob',
  });
  assert.deepEqual(next.tasks[2], state().tasks[2]);
  const same = state();
  assert.equal(M.withoutSprint(same, 99), same);
});

test('a removed member leaves the list and their cards are unassigned', () => {
  const next = M.withoutMember(state(), 2);
  assert.deepEqual(
    next.members.map((m) => m.user.username),
    ['alice', 'cy'],
  );
  assert.equal(next.tasks[1].assigned, null);
  assert.equal(next.tasks[3].assigned, null);
  const same = state();
  assert.equal(M.withoutMember(same, 42), same);
});

test("our board PATCH changes the board's fields, never our abilities", () => {
  const saved = { name: 'New', description: 'd', timezone: 'Asia/Tokyo', can: { manage: false } };
  const next = M.withBoard(state(), saved);
  assert.deepEqual(next.board, {
    id: 1,
    name: 'New',
    description: 'd',
    owner: 'alice',
    timezone: 'Asia/Tokyo',
  });
  assert.deepEqual(next.can, { write: true, manage: true });
});

test("member actions follow the API's rules", () => {
  const s = state();
  const [alice, bob, cy] = s.members;
  // The creator: nobody changes or removes them, and they cannot leave.
  assert.deepEqual(M.memberActions(s, alice), { changeRole: false, remove: false, leave: false });
  assert.deepEqual(M.memberActions(s, bob), { changeRole: true, remove: true, leave: false });
  // Another owner, seen by herself: she may change her own role and leave, not "remove".
  const asCy = state({ me: 3 });
  assert.deepEqual(M.memberActions(asCy, cy), { changeRole: true, remove: false, leave: true });
  // A member manages nobody and may leave.
  const asBob = state({ me: 2, can: { write: true, manage: false } });
  assert.deepEqual(M.memberActions(asBob, bob), { changeRole: false, remove: false, leave: true });
  assert.deepEqual(M.memberActions(asBob, cy), { changeRole: false, remove: false, leave: false });
});

test("today is the board's date, not the browser's", () => {
  const late = new Date('2030-01-01T23:30:00Z');
  assert.equal(M.todayIn('UTC', late), '2030-01-01');
  assert.equal(M.todayIn('Asia/Tokyo', late), '2030-01-02');
  assert.equal(M.todayIn('America/Los_Angeles', late), '2030-01-01');
  assert.equal(M.todayIn('Not/AZone', late), '2030-01-01');
});

test('the zone choices keep UTC and the current value, sorted, once each', () => {
  assert.deepEqual(M.zoneChoices('Asia/Calcutta', ['Europe/Paris', 'Asia/Kolkata', 'UTC']), [
    'Asia/Calcutta',
    'Asia/Kolkata',
    'Europe/Paris',
    'UTC',
  ]);
  assert.deepEqual(M.zoneChoices(undefined, []), ['UTC']);
});

const board = (id, name, role = 'member') => ({ id, name, role, owner: 'alice' });

test('membership frames add, update and drop boards, kept in name order', () => {
  const list = [board(1, 'Alpha'), board(3, 'Gamma')];
  const added = M.applyBoardsFrame(list, { type: 'membership.added', board: board(2, 'beta') });
  assert.deepEqual(
    added.boards.map((b) => b.id),
    [1, 2, 3],
  );
  assert.equal(added.change.kind, 'added');
  const again = M.applyBoardsFrame(added.boards, {
    type: 'membership.added',
    board: board(2, 'beta', 'viewer'),
  });
  assert.equal(again.change.kind, 'updated');
  assert.equal(again.boards.length, 3);
  const updated = M.applyBoardsFrame(list, {
    type: 'membership.updated',
    board: board(3, 'Gamma', 'owner'),
  });
  assert.equal(updated.boards[1].role, 'owner');
  const removed = M.applyBoardsFrame(list, {
    type: 'membership.removed',
    board: { id: 1, name: 'Alpha' },
    reason: 'removed',
  });
  assert.deepEqual(
    removed.boards.map((b) => b.id),
    [3],
  );
  assert.equal(removed.change.kind, 'removed');
});

test('frames about other things, or boards not listed, change nothing', () => {
  const list = [board(1, 'Alpha')];
  for (const frame of [
    { type: 'hello', user: { id: 1 } },
    { type: 'membership.removed', board: { id: 9, name: 'Gone' } },
    { type: 'membership.added' },
    { type: 'notification', board: board(2, 'x') },
  ]) {
    const out = M.applyBoardsFrame(list, frame);
    assert.equal(out.boards, list);
    assert.equal(out.change, null);
  }
});

test('a removal says who did it, unless it was us', () => {
  const frame = (reason, actor) => ({ board: { id: 1, name: 'Alpha' }, reason, actor });
  const alice = { id: 1, username: 'alice' };
  assert.equal(M.removalText(frame('removed', alice), 2), 'alice removed you from “Alpha”');
  assert.equal(M.removalText(frame('deleted', alice), 2), 'alice deleted the board “Alpha”');
  assert.equal(M.removalText(frame('deleted', alice), 1), null);
  assert.equal(M.removalText(frame('left', { id: 2, username: 'bob' }), 2), null);
});
