// Presence with intent: the focus frames the page sends (an open dialog edits, a reader's
// views, a burst of card focus settles first) and who the dialog's banner names as editing.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';

import { FocusTracker, editingSentence, editorsOf } from '../static/frontend/focus.js';

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());

function tracker({ canEdit = () => true, up = () => true } = {}) {
  const sent = [];
  const focus = new FocusTracker((frame) => {
    if (!up()) return false;
    sent.push(frame);
    return true;
  }, canEdit);
  return { focus, sent };
}

test('a dialog open on a card sends edit, and closing it sends the card focus as a view', () => {
  const { focus, sent } = tracker();
  focus.set(7, 'card');
  mock.timers.tick(200);
  focus.set(7, 'dialog', true);
  mock.timers.tick(200);
  focus.set(null, 'dialog');
  mock.timers.tick(200);
  assert.deepEqual(sent, [
    { task: 7, mode: 'view' },
    { task: 7, mode: 'edit' },
    { task: 7, mode: 'view' },
  ]);
});

test('a burst of card focus sends only where it settles, and nothing when unchanged', () => {
  const { focus, sent } = tracker();
  for (const id of [1, 2, 3, 4]) focus.set(id, 'card');
  mock.timers.tick(200);
  focus.set(4, 'card');
  mock.timers.tick(200);
  assert.deepEqual(sent, [{ task: 4, mode: 'view' }]);
});

test('a reader opening a card is sent as viewing; gaining write access turns it into edit', () => {
  let write = false;
  const { focus, sent } = tracker({ canEdit: () => write });
  focus.set(5, 'dialog', true);
  mock.timers.tick(200);
  focus.refresh();
  assert.deepEqual(sent, [{ task: 5, mode: 'view' }]);
  write = true; // member.updated about us: the page re-renders and refreshes
  focus.refresh();
  write = false;
  focus.refresh();
  assert.deepEqual(sent.slice(1), [
    { task: 5, mode: 'edit' },
    { task: 5, mode: 'view' },
  ]);
});

test('refresh leaves a settling burst to its timer', () => {
  const { focus, sent } = tracker();
  focus.set(1, 'card');
  focus.refresh();
  assert.deepEqual(sent, []);
  mock.timers.tick(200);
  assert.deepEqual(sent, [{ task: 1, mode: 'view' }]);
});

test('a frame the socket could not send goes out again on the next flush', () => {
  let up = false;
  const { focus, sent } = tracker({ up: () => up });
  focus.set(3, 'dialog', true);
  mock.timers.tick(200);
  assert.deepEqual(sent, []);
  up = true; // hello on a new socket: the page forces the current intent out
  focus.flush(true);
  assert.deepEqual(sent, [{ task: 3, mode: 'edit' }]);
});

test('a focus on no task is never an edit', () => {
  const { focus, sent } = tracker();
  focus.set(null, 'dialog', true);
  mock.timers.tick(200);
  assert.deepEqual(sent, [{ task: null, mode: 'view' }]);
});

const users = [
  { id: 1, username: 'alice', full_name: 'Alice Anders', focus: 9, mode: 'edit' },
  { id: 2, username: 'bob', full_name: '', focus: 9, mode: 'edit' },
  { id: 3, username: 'cy', full_name: 'Cy Cole', focus: 9, mode: 'view' },
  { id: 4, username: 'dee', full_name: 'Dee Dunn', focus: 8, mode: 'edit' },
];

test('editorsOf: the others editing this card by name, not me, not viewers', () => {
  assert.deepEqual(editorsOf(users, 9, 99), ['Alice Anders', 'bob']);
  assert.deepEqual(editorsOf(users, 9, 1), ['bob']);
  assert.deepEqual(editorsOf(users, 8, 99), ['Dee Dunn']);
  assert.deepEqual(editorsOf(users, 7, 99), []);
  assert.deepEqual(editorsOf(users, null, 99), [], 'a new task has no editors');
  assert.deepEqual(editorsOf(undefined, 9, 99), []);
  const named = editorsOf(users, 9, 99, (u) => u.full_name || `member ${u.username}`);
  assert.deepEqual(named, ['Alice Anders', 'member bob']);
});

test('editorsOf: a user with two rows is named once', () => {
  const twice = [users[0], { ...users[0] }];
  assert.deepEqual(editorsOf(twice, 9, 99), ['Alice Anders']);
});

test('editingSentence: one, two, many, none', () => {
  assert.equal(editingSentence([]), '');
  assert.equal(editingSentence(['Bob']), 'Bob is editing this card');
  assert.equal(editingSentence(['Ann', 'Bob']), 'Ann and Bob are editing this card');
  assert.equal(editingSentence(['Ann', 'Bob', 'Cy']), 'Ann, Bob and Cy are editing this card');
});
