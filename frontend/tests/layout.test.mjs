// The board's filters, names and "Move to…" targets (issue 15): pure state.js reads.
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
  order: id * 1024,
  assigned: null,
  version: 1,
  ...over,
});

const member = (id, username, full_name) => ({
  user: { id, username, full_name },
  role: 'member',
  can: { write: true, manage: false },
});

function board(tasks) {
  return S.fromSnapshot(
    {
      board: { id: 1, name: 'B', description: '', can: { write: true, manage: true } },
      members: [
        member(1, 'alice', 'Alice Anders'),
        member(2, 'bob', ''),
        member(3, 'none', 'Nora One'),
      ],
      sprints: [{ id: 10, board: 1, name: 'S', description: '', end: '2030-01-10', version: 1 }],
      tasks,
      seq: 1,
    },
    { me: 1 },
  );
}

const ids = (tasks) => tasks.map((t) => t.id);
const col = (key) => S.columnsFor(10).find((c) => c.key === key);

test('displayName: the full name, else the username', () => {
  const s = board([]);
  assert.equal(S.displayName(s, 'alice'), 'Alice Anders');
  assert.equal(S.displayName(s, 'bob'), 'bob');
  assert.equal(S.displayName(s, 'gone'), 'gone', 'a former member keeps a name');
  assert.equal(S.displayName(s, null), '');
  assert.equal(S.initials(S.displayName(s, 'alice')), 'AA');
});

test('the assignee filter: anyone, me, unassigned, a member (even one called "none")', () => {
  const s = board([
    task(1, { assigned: 'alice' }),
    task(2, { assigned: 'bob' }),
    task(3),
    task(4, { assigned: 'none' }),
  ]);
  const shown = (assignee) => ids(S.visibleTasks(s, col('s1'), { assignee, q: '' }).shown);
  assert.deepEqual(shown(''), [1, 2, 3, 4]);
  assert.deepEqual(shown('me'), [1]);
  assert.deepEqual(shown('none'), [3]);
  assert.deepEqual(shown('@bob'), [2]);
  assert.deepEqual(shown('@none'), [4]);
  assert.equal(S.visibleTasks(s, col('s1'), { assignee: 'me', q: '' }).total, 4);
});

test('"me" matches nothing while the page does not know who it is', () => {
  const s = { ...board([task(1, { assigned: 'alice' }), task(2)]), me: null };
  assert.deepEqual(ids(S.visibleTasks(s, col('s1'), { assignee: 'me', q: '' }).shown), []);
});

test('the text search: every word, in name or description, any case or accent', () => {
  const s = board([
    task(1, { name: 'Order the Café cake' }),
    task(2, { name: 'Book a room', description: 'Near the cafe, for the cake' }),
    task(3, { name: 'Buy cake' }),
  ]);
  const shown = (q, assignee = '') => ids(S.visibleTasks(s, col('s1'), { assignee, q }).shown);
  assert.deepEqual(shown('CAFE'), [1, 2]);
  assert.deepEqual(shown('  cake   café '), [1, 2]);
  assert.deepEqual(shown('cake'), [1, 2, 3]);
  assert.deepEqual(shown('pizza'), []);
  assert.deepEqual(shown('   '), [1, 2, 3], 'blank is no filter');
  assert.deepEqual(shown('cake', 'none'), [1, 2, 3]);
  assert.deepEqual(shown('cake', 'me'), []);
});

test('the filter round-trips through the URL and keeps other params', () => {
  const params = S.filterParams(
    { assignee: '@bob', q: ' launch plan ' },
    new URLSearchParams('sprint=10'),
  );
  assert.equal(params.toString(), 'sprint=10&assignee=%40bob&q=launch+plan');
  assert.deepEqual(S.parseFilter(params), { assignee: '@bob', q: 'launch plan', labels: [] });
  const cleared = S.filterParams(S.NO_FILTER, params);
  assert.equal(cleared.toString(), 'sprint=10');
  assert.equal(S.isFiltering(S.parseFilter(cleared)), false);
});

test('the label filter: repeatable, every label must be on the card, kept in the URL', () => {
  const params = S.filterParams(
    { assignee: '', q: '', labels: [3, 7] },
    new URLSearchParams('sprint=10&label=1'),
  );
  assert.equal(params.toString(), 'sprint=10&label=3&label=7');
  const filter = S.parseFilter(new URLSearchParams('label=3&label=x&label=3&label=7'));
  assert.deepEqual(filter.labels, [3, 7]);
  assert.equal(S.isFiltering(filter), true);
  const keep = S.taskFilter({ tasks: {}, members: [] }, filter);
  assert.equal(keep({ name: 'a', labels: [7, 3, 9] }), true);
  assert.equal(keep({ name: 'b', labels: [3] }), false);
  assert.equal(keep({ name: 'c' }), false);
});

test('parseFilter ignores what it does not know and caps the query', () => {
  const odd = S.parseFilter(new URLSearchParams(`assignee=bob&q=${'x'.repeat(500)}`));
  assert.equal(odd.assignee, '', 'a bare name is not a choice (members are "@name")');
  assert.equal(odd.q.length, 100);
  assert.deepEqual(S.parseFilter(new URLSearchParams('')), S.NO_FILTER);
  assert.equal(S.parseFilter(new URLSearchParams('assignee=me')).assignee, 'me');
});

test('assigneeChoices: members by the name shown', () => {
  const choices = S.assigneeChoices(board([]));
  assert.deepEqual(choices, [
    { value: '@alice', label: 'Alice Anders' },
    { value: '@bob', label: 'bob' },
    { value: '@none', label: 'Nora One' },
  ]);
});

test('keyboard moves up and down step over cards the filter hides', () => {
  const s = board([
    task(1, { assigned: 'alice' }),
    task(2, { assigned: 'bob' }),
    task(3, { assigned: 'alice' }),
  ]);
  const mine = { assignee: 'me', q: '' };
  assert.deepEqual(S.keyboardMove(s, 10, 3, 'up', mine), { sprint: 10, status: 1, before: 1 });
  assert.deepEqual(S.keyboardMove(s, 10, 3, 'up'), { sprint: 10, status: 1, before: 2 });
  assert.deepEqual(S.keyboardMove(s, 10, 1, 'down', mine), { sprint: 10, status: 1, after: 3 });
  assert.equal(S.keyboardMove(s, 10, 1, 'up', mine), null);
});

test('moveTargets: the other columns, at their end; a Done card stays in its sprint', () => {
  const s = board([task(1), task(2, { status: 4 }), task(3, { sprint: null })]);
  const keys = (t) => S.moveTargets(t, 10).map((x) => x.key);
  assert.deepEqual(keys(s.tasks[1]), ['backlog', 's2', 's3', 's4']);
  assert.deepEqual(keys(s.tasks[2]), ['s1', 's2', 's3']);
  assert.deepEqual(keys(s.tasks[3]), ['s1', 's2', 's3', 's4']);
  const toBacklog = S.moveTargets(s.tasks[1], 10)[0];
  assert.deepEqual(toBacklog.body, { sprint: null, status: 1 });
  assert.deepEqual(
    S.moveTargets(s.tasks[3], null).map((x) => x.key),
    [],
    'no sprint: nowhere to go',
  );
});

test('defaultColumnKey: a phone opens on the first column with cards', () => {
  assert.equal(S.defaultColumnKey(board([task(1, { status: 3 })]), 10), 's3');
  assert.equal(S.defaultColumnKey(board([task(1, { sprint: null })]), 10), 'backlog');
  assert.equal(S.defaultColumnKey(board([]), 10), 'backlog');
  assert.equal(S.defaultColumnKey(board([]), null), 'backlog');
});
