// The bell's count: pushes, reads and pages fetched while they happen agree on one number.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { refreshOutcome } from '../static/frontend/auth.js';
import * as S from '../static/frontend/inbox-state.js';

const T = '2025-06-10T07:00:00Z';
const note = (id, read = false) => ({
  id,
  kind: 'due_today',
  title: `n${id}`,
  data: { tasks: [] },
  created_at: T,
  read_at: read ? T : null,
});
const page = (unread, ...items) => ({ count: items.length, unread, results: items });
const frame = (id) => ({ type: 'frame', frame: { id, kind: 'due_today', title: `n${id}` }, at: T });

test('a page gives the count the server computed, not the length of the list', () => {
  const state = S.fromPage(page(30, note(3), note(2, true)));
  assert.equal(state.unread, 30);
  assert.equal(state.items.length, 2);
  assert.ok(state.ready);
});

test('a push raises the count once, however often it arrives', () => {
  let state = S.fromPage(page(1, note(1)));
  state = S.apply(state, frame(2));
  assert.equal(state.unread, 2);
  assert.equal(state.items[0].id, 2, 'newest first');
  assert.equal(state.items[0].read_at, null);
  assert.equal(S.apply(state, frame(2)), state, 'the same id twice changes nothing');
  assert.equal(S.apply(state, frame(1)).unread, 2, 'one the page already had');
});

test('marking one read lowers the count once; an already read one changes nothing', () => {
  let state = S.fromPage(page(2, note(2), note(1)));
  state = S.apply(state, { type: 'read', id: 1, at: T });
  assert.equal(state.unread, 1);
  assert.ok(S.isRead(state, 1));
  assert.equal(S.apply(state, { type: 'read', id: 1, at: T }), state);
  assert.equal(S.apply(state, { type: 'read', id: 99, at: T }), state, 'unknown: the page decides');
});

test('mark all read covers what the user saw, not a push that landed after the click', () => {
  let state = S.fromPage(page(40, note(5), note(4)));
  state = S.apply(state, { type: 'readAll', upTo: 5, at: T });
  assert.equal(state.unread, 0, 'the 38 beyond the page are read on the server too');
  assert.ok(state.items.every((n) => n.read_at));
  state = S.apply(S.apply(S.fromPage(page(1, note(5))), frame(6)), {
    type: 'readAll',
    upTo: 5,
    at: T,
  });
  assert.equal(state.unread, 1);
  assert.ok(!S.isRead(state, 6));
});

test('a page fetched before a push or a read is brought up to date by replaying them', () => {
  // The page was computed before push 7 committed and before the read of 5 landed.
  const stale = page(2, note(5), note(4));
  const ops = [frame(7), { type: 'read', id: 5, at: T }];
  const state = S.settle(stale, ops);
  assert.equal(state.unread, 2);
  assert.deepEqual(
    state.items.map((n) => [n.id, !!n.read_at]),
    [
      [7, false],
      [5, true],
      [4, false],
    ],
  );
  // The same ops onto a page that already saw them: no double counting.
  const fresh = page(2, note(7), note(5, true), note(4));
  assert.equal(S.settle(fresh, ops).unread, 2);
});

test('the list keeps a bounded number of items', () => {
  let state = S.fromPage(page(0));
  for (let id = 1; id <= S.KEEP + 10; id += 1) state = S.apply(state, frame(id));
  assert.equal(state.items.length, S.KEEP);
  assert.equal(state.unread, S.KEEP + 10);
  assert.equal(S.newestId(state), S.KEEP + 10);
});

test('the bell says the count in words; the badge stays short', () => {
  assert.equal(S.bellLabel(0), 'Notifications, none unread');
  assert.equal(S.bellLabel(3), 'Notifications, 3 unread');
  assert.equal(S.badgeText(7), '7');
  assert.equal(S.badgeText(140), '99+');
});

test('task links open the card on its board', () => {
  const item = {
    data: {
      tasks: [
        { id: 9, name: 'Ship it', board: { id: 4, name: 'Apollo' } },
        { id: 10, name: 'No board' },
      ],
    },
  };
  assert.deepEqual(S.taskLinks(item), [
    { href: '/boards/4/?task=9', name: 'Ship it', board: 'Apollo' },
  ]);
  assert.deepEqual(S.taskLinks({ data: { task: { id: 1, board: { id: 2 } } } }), [
    { href: '/boards/2/?task=1', name: 'Task 1', board: '' },
  ]);
  assert.deepEqual(S.taskLinks({ data: null }), []);
});

test('times read as a person would say them', () => {
  const now = Date.parse('2025-06-10T12:00:00Z');
  assert.equal(S.timeLabel('2025-06-10T11:59:30Z', now), 'just now');
  assert.equal(S.timeLabel('2025-06-10T11:55:00Z', now), '5 min ago');
  assert.equal(S.timeLabel('2025-06-10T09:00:00Z', now), '3 h ago');
  assert.equal(S.timeLabel('2025-06-01T09:00:00Z', now, 'en-US'), 'Jun 1');
  assert.equal(S.timeLabel('garbage', now), '');
});

test('a refresh answer: a token, no session (204, or 401 from an older server), or unknown', () => {
  assert.equal(refreshOutcome({ ok: true, status: 200, data: { access: 'a.b.c' } }), 'session');
  assert.equal(refreshOutcome({ ok: true, status: 204, data: null }), 'none');
  assert.equal(refreshOutcome({ ok: false, status: 401, data: {} }), 'none');
  assert.equal(refreshOutcome({ ok: false, status: 502, data: null }), 'unknown');
  assert.equal(refreshOutcome({ ok: true, status: 200, data: null }), 'unknown');
});
