// The task dialog's edits: only what the user changed is sent, others' changes show up in
// the open form, and "save mine anyway" re-applies only the user's fields on the current row.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as E from '../static/frontend/task-edit.js';

const row = (over = {}) => ({
  id: 1,
  sprint: 10,
  status: 1,
  name: 'Write docs',
  description: 'All of them',
  assigned: null,
  due: null,
  version: 3,
  ...over,
});

test('taskValues: the form representation of a row', () => {
  assert.deepEqual(E.taskValues(row({ assigned: 'bob', due: '2030-01-02' }), 10), {
    name: 'Write docs',
    description: 'All of them',
    assigned: 'bob',
    due: '2030-01-02',
    points: '',
    labels: '',
    column: 's1',
  });
  assert.equal(E.taskValues(row({ labels: [7, 3, 7] }), 10).labels, '3,7', 'a set, sorted');
  assert.equal(E.taskValues(row({ sprint: null }), 10).column, 'backlog');
  assert.equal(E.taskValues(row({ sprint: 11 }), 10).column, '', 'another sprint: no column here');
  assert.equal(E.taskValues(row({ description: null }), 10).description, '');
});

test('changedFields: only what differs from the base', () => {
  const base = E.taskValues(row(), 10);
  assert.deepEqual(E.changedFields(base, base), {});
  assert.deepEqual(E.changedFields(base, { ...base, description: 'Two', column: 's2' }), {
    description: 'Two',
    column: 's2',
  });
});

test('patchBody: labels go out as a list of ids', () => {
  assert.deepEqual(E.patchBody({ labels: '3,7' }), { labels: [3, 7] });
  assert.deepEqual(E.patchBody({ labels: '' }), { labels: [] });
});

test('patchBody: empty assignee and due become null, the column is left to the move', () => {
  assert.deepEqual(E.patchBody({ assigned: '', due: '', name: 'N', column: 's2' }), {
    assigned: null,
    due: null,
    name: 'N',
  });
  assert.deepEqual(E.patchBody({ column: 's2' }), {});
});

test("mergeRemote: an untouched field takes the other's value, an edited one keeps the input", () => {
  const base = E.taskValues(row(), 10);
  const values = { ...base, description: 'Mine' };
  const next = { ...base, name: 'Theirs', description: 'Also theirs' };
  const out = E.mergeRemote({ base, values, seen: base, next });
  assert.deepEqual(out.applied, [{ key: 'name', value: 'Theirs' }]);
  assert.deepEqual(out.clashes, [{ key: 'description', value: 'Also theirs' }]);
  assert.equal(out.base.name, 'Theirs', 'the applied value is not the user’s change');
  assert.equal(out.base.description, 'All of them', 'the clash stays the user’s change');
  const after = E.changedFields(out.base, { ...values, name: 'Theirs' });
  assert.deepEqual(after, { description: 'Mine' });
});

test('mergeRemote: typing what the other saved is no clash; unchanged fields are skipped', () => {
  const base = E.taskValues(row(), 10);
  const values = { ...base, name: 'Same' };
  const out = E.mergeRemote({ base, values, seen: base, next: { ...base, name: 'Same' } });
  assert.deepEqual(out.applied, [{ key: 'name', value: 'Same' }]);
  assert.deepEqual(out.clashes, []);
  assert.deepEqual(E.changedFields(out.base, values), {});
  const none = E.mergeRemote({ base, values, seen: base, next: base });
  assert.deepEqual([none.applied, none.clashes], [[], []]);
});

test('rebase: the user’s changes on the current row, minus those it already has', () => {
  const current = E.taskValues(row({ name: 'Renamed by alice', version: 4 }), 10);
  assert.deepEqual(E.rebase({ description: 'By bob' }, current), { description: 'By bob' });
  assert.deepEqual(E.rebase({ description: 'All of them', due: '2030-01-01' }, current), {
    due: '2030-01-01',
  });
  assert.deepEqual(E.rebase({}, current), {});
});

test('the lost-update story: bob’s save after alice’s rename keeps both', () => {
  // Bob opened version 3; alice renamed (version 4); bob changed the description only.
  const opened = E.taskValues(row(), 10);
  const bobForm = { ...opened, description: 'By bob' };
  const current = E.taskValues(row({ name: 'By alice', version: 4 }), 10);
  const mine = E.rebase(E.changedFields(opened, bobForm), current);
  const body = { ...E.patchBody(mine), version: 4 };
  assert.deepEqual(body, { description: 'By bob', version: 4 }, 'the name is not sent back');
});

test('conflictRows: yours only where changed, differs and theirs marked', () => {
  const opened = E.taskValues(row(), 10);
  const current = E.taskValues(row({ name: 'By alice', assigned: 'bob' }), 10);
  const rows = E.conflictRows({ name: 'By bob', description: 'All of them' }, opened, current);
  const by = Object.fromEntries(rows.map((r) => [r.key, r]));
  assert.deepEqual(Object.keys(by), E.FIELDS);
  assert.equal(by.name.mine, 'By bob');
  assert.equal(by.name.current, 'By alice');
  assert.equal(by.name.differs, true);
  assert.equal(by.name.theirs, true);
  assert.equal(by.description.differs, false, 'the same value as now');
  assert.equal(by.assigned.mine, null, 'untouched');
  assert.equal(by.assigned.theirs, true);
  assert.equal(by.due.theirs, false);
  assert.equal(by.column.label, 'Column');
});
