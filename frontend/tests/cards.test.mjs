// Labels and checklists on the page (issue 17): the board state's fold of label and counter
// events, the chip text colour that keeps every label readable, checklist progress and
// order, and the labels field of the task dialog sending only a changed set.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as C from '../static/frontend/checklist-state.js';
import { contrast, inkFor, PALETTE } from '../static/frontend/label-colors.js';
import { labelList } from '../static/frontend/card-state.js';
import * as S from '../static/frontend/state.js';
import * as E from '../static/frontend/task-edit.js';

const task = (over = {}) => ({
  id: 1,
  board: 1,
  sprint: null,
  status: 1,
  order: 1,
  name: 'Fix login',
  description: '',
  assigned: null,
  due: null,
  points: null,
  version: 4,
  labels: [],
  comments_count: 0,
  checklist_total: 0,
  checklist_done: 0,
  ...over,
});

const snapshot = (over = {}) => ({
  board: { id: 1, name: 'B', can: { write: true } },
  members: [],
  sprints: [],
  tasks: [task({ labels: [7, 9] }), task({ id: 2, labels: [9] })],
  labels: [
    { id: 7, board: 1, name: 'bug', color: '#d73a4a' },
    { id: 9, board: 1, name: 'UX', color: '#fbca04' },
  ],
  seq: 10,
  ...over,
});

let seq = 10;
const event = (name, data) => ({ seq: ++seq, name, data });
const fold = (state, ...events) => events.reduce((s, e) => S.applyEvent(s, e).state, state);

test('the snapshot brings the labels; a board from before labels has none', () => {
  const state = S.fromSnapshot(snapshot());
  assert.deepEqual(Object.keys(state.labels), ['7', '9']);
  assert.deepEqual(
    labelList(state).map((l) => l.name),
    ['bug', 'UX'],
    'by name, case folded',
  );
  assert.deepEqual(S.fromSnapshot(snapshot({ labels: undefined })).labels, {});
});

test('label events: created and renamed in place, deleted off every card without a new version', () => {
  seq = 10;
  const state = fold(
    S.fromSnapshot(snapshot()),
    event('label.created', { id: 11, board: 1, name: 'Blocked', color: '#000000' }),
    event('label.updated', { id: 7, board: 1, name: 'Bug', color: '#b60205' }),
    event('label.deleted', { id: 9, tasks: [1, 2] }),
  );
  assert.equal(state.labels[11].name, 'Blocked');
  assert.equal(state.labels[7].color, '#b60205');
  assert.equal(state.labels[9], undefined);
  assert.deepEqual(state.tasks[1].labels, [7]);
  assert.deepEqual(state.tasks[2].labels, []);
  assert.equal(state.tasks[1].version, 4, 'taking a label off is no edit of the card');
});

test('comment and checklist events set the card counters as they carry them', () => {
  seq = 10;
  const state = fold(
    S.fromSnapshot(snapshot()),
    event('checklist_item.created', {
      id: 5,
      task: 1,
      text: 'a',
      done: false,
      order: 1,
      version: 1,
      reordered: [],
      counts: { comments_count: 0, checklist_total: 2, checklist_done: 1 },
    }),
    event('comment.created', {
      id: 3,
      task: 2,
      body: 'hi',
      counts: { comments_count: 1, checklist_total: 0, checklist_done: 0 },
    }),
  );
  assert.equal(state.tasks[1].checklist_total, 2);
  assert.equal(state.tasks[1].checklist_done, 1);
  assert.equal(state.tasks[2].comments_count, 1);
  assert.equal(state.tasks[1].version, 4);
});

test('the label filter keeps cards with every chosen label', () => {
  const state = S.fromSnapshot(snapshot());
  const keep = S.taskFilter(state, { ...S.NO_FILTER, labels: [7, 9] });
  assert.deepEqual(
    Object.values(state.tasks)
      .filter(keep)
      .map((t) => t.id),
    [1],
  );
  const params = S.filterParams(
    { ...S.NO_FILTER, labels: [7, 9] },
    new URLSearchParams('sprint=3'),
  );
  assert.equal(params.toString(), 'sprint=3&label=7&label=9');
  assert.deepEqual(S.parseFilter(params).labels, [7, 9]);
});

test('chip text: black or white, whichever contrasts more, AA on any colour', () => {
  assert.equal(inkFor('#ffffff'), '#000000');
  assert.equal(inkFor('#000000'), '#ffffff');
  assert.equal(inkFor('#fbca04'), '#000000', 'yellow takes black');
  assert.equal(inkFor('#5319e7'), '#ffffff', 'purple takes white');
  assert.equal(inkFor('not a colour'), inkFor('#6b7280'), 'a bad value counts as grey');
  assert.equal(Math.round(contrast('#000000', '#ffffff')), 21);
  const colours = [...PALETTE.map((p) => p.color)];
  for (let n = 0; n < 4096; n += 37) {
    colours.push(`#${(n * 4099).toString(16).padStart(6, '0').slice(-6)}`);
  }
  for (const colour of ['#777777', '#808080', '#ff0000', '#00ff00', '#0000ff', ...colours]) {
    const ratio = contrast(colour, inkFor(colour));
    assert.ok(ratio >= 4.5, `${colour}: ${ratio.toFixed(2)}:1`);
  }
});

const item = (id, order, over = {}) => ({
  id,
  task: 1,
  text: `item ${id}`,
  done: false,
  order,
  version: 1,
  ...over,
});

test('checklist progress: "done/total" from the items or from the card counters', () => {
  const items = C.itemsFrom([item(1, 1, { done: true }), item(2, 2), item(3, 3, { done: true })]);
  assert.deepEqual(C.progressOf(items), { done: 2, total: 3, text: '2/3', percent: 67 });
  assert.deepEqual(C.progressOf({}), { done: 0, total: 0, text: '0/0', percent: 0 });
  const counters = C.progressOf(task({ checklist_total: 5, checklist_done: 3 }));
  assert.equal(counters.text, '3/5');
  assert.equal(counters.percent, 60);
  assert.equal(C.progressSpoken(counters), '3 of 5 checklist items done');
  assert.equal(C.progressSpoken({ done: 1, total: 1 }), '1 of 1 checklist item done');
  // A counter past the total (a torn read) never says more than all done.
  assert.equal(C.progressOf(task({ checklist_total: 2, checklist_done: 3 })).text, '2/2');
});

test('checklist events fold into the items of their task only, never back in time', () => {
  let items = C.itemsFrom([item(1, 1), item(2, 2)]);
  const ev = (name, data) => ({ name, data: { task: 1, ...data } });
  items = C.applyItemEvent(items, ev('checklist_item.created', { ...item(3, 3), counts: {} }), 1);
  assert.deepEqual(
    C.sortedItems(items).map((i) => i.id),
    [1, 2, 3],
  );
  assert.equal('counts' in items[3], false, 'the counters are the card’s, not the item’s');
  // Item 3 moved first; its siblings were renumbered (their versions stay).
  const moved = {
    ...item(3, 1, { version: 2 }),
    reordered: [
      { id: 1, order: 2 },
      { id: 2, order: 3 },
    ],
  };
  items = C.applyItemEvent(items, ev('checklist_item.updated', moved), 1);
  assert.deepEqual(
    C.sortedItems(items).map((i) => i.id),
    [3, 1, 2],
  );
  assert.equal(items[1].version, 1);
  // Our own REST answer of version 1, landing after the event of version 2: ignored.
  const stale = C.applyItemEvent(items, ev('checklist_item.updated', item(3, 3)), 1);
  assert.equal(stale[3].order, 1);
  const other = C.applyItemEvent(
    items,
    { name: 'checklist_item.deleted', data: { id: 1, task: 2 } },
    1,
  );
  assert.equal(other, items, 'another card’s event');
  items = C.applyItemEvent(items, ev('checklist_item.deleted', { id: 1 }), 1);
  assert.deepEqual(
    C.sortedItems(items).map((i) => i.id),
    [3, 2],
  );
});

test('moving an item up or down is a before/after anchor on its neighbour', () => {
  const items = C.itemsFrom([item(1, 1), item(2, 2), item(3, 3)]);
  assert.deepEqual(C.moveBody(items, 2, 'up'), { before: 1 });
  assert.deepEqual(C.moveBody(items, 2, 'down'), { after: 3 });
  assert.equal(C.moveBody(items, 1, 'up'), null);
  assert.equal(C.moveBody(items, 3, 'down'), null);
  assert.equal(C.moveBody(items, 9, 'up'), null);
});

test('the dialog holds labels as a sorted id string; only a changed set is sent', () => {
  const base = E.taskValues(task({ labels: [9, 7] }), null);
  assert.equal(base.labels, '7,9');
  assert.equal(E.taskValues(task({ labels: undefined }), null).labels, '');
  assert.deepEqual(E.changedFields(base, { ...base, labels: E.labelsValue([9, 7]) }), {});
  const changes = E.changedFields(base, { ...base, labels: E.labelsValue([7, 11]) });
  assert.deepEqual(changes, { labels: '7,11' });
  assert.deepEqual(E.patchBody(changes), { labels: [7, 11] });
  assert.deepEqual(E.patchBody({ labels: '' }), { labels: [] }, 'all taken off');
  assert.deepEqual(E.patchBody({ name: 'N' }), { name: 'N' }, 'untouched labels are not sent');
});

test('a remote label change fills an untouched labels field, and clashes with an edited one', () => {
  const seen = E.taskValues(task({ labels: [7] }), null);
  const next = E.taskValues(task({ labels: [7, 9], version: 5 }), null);
  const quiet = E.mergeRemote({ base: seen, values: seen, seen, next });
  assert.deepEqual(quiet.applied, [{ key: 'labels', value: '7,9' }]);
  assert.equal(quiet.base.labels, '7,9', 'not the user’s change afterwards');
  const mine = { ...seen, labels: '' };
  const clash = E.mergeRemote({ base: seen, values: mine, seen, next });
  assert.deepEqual(clash.clashes, [{ key: 'labels', value: '7,9' }]);
  const rows = E.conflictRows({ labels: '' }, seen, next);
  const row = rows.find((r) => r.key === 'labels');
  assert.deepEqual(
    { label: row.label, mine: row.mine, differs: row.differs, theirs: row.theirs },
    { label: 'Labels', mine: '', differs: true, theirs: true },
  );
});

test('progressOf: a card not saved yet has no checklist (no counters, null fields)', () => {
  const { progressOf } = C;
  const unsaved = { id: -1, name: 'New', assigned: null, due: null, labels: [] };
  assert.equal(progressOf(unsaved).total, 0);
  assert.equal(progressOf({ 3: { done: true }, 4: { done: false } }).done, 1);
});
