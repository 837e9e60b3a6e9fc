// The unsaved-change queue: order, one entry per repeated change, what each answer means,
// temporary ids, and the board with the queued changes on top.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as O from '../static/frontend/outbox.js';

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
  due: null,
  version: 1,
  ...over,
});

const state = () => ({ board: { id: 1 }, tasks: { 1: task(1), 2: task(2), 3: task(3) } });

const create = (name, over = {}) => ({
  kind: 'create',
  name,
  body: { board: 1, sprint: 10, status: 1, name, description: '', assigned: null, due: null },
  ...over,
});
const edit = (taskId, fields, version = 1, move = null) => ({
  kind: 'edit',
  taskId,
  fields,
  move,
  version,
  name: `T${taskId}`,
});
const move = (taskId, body) => ({ kind: 'move', taskId, body, name: `T${taskId}` });
const del = (taskId, version = 1) => ({ kind: 'delete', taskId, version, name: `T${taskId}` });

function queueOf(...changes) {
  let queue = O.emptyQueue();
  for (const [i, change] of changes.entries()) queue = O.add(queue, change, `op${i}`).queue;
  return queue;
}

const kinds = (queue) => queue.entries.map((e) => `${e.kind}:${e.taskId}`);

test('changes wait in the order they were made, creates under temporary ids', () => {
  const queue = queueOf(create('A'), move(2, { sprint: 10, status: 2 }), create('B'));
  assert.deepEqual(kinds(queue), ['create:-1', 'move:2', 'create:-2']);
  assert.equal(O.countText(queue), '3 changes not saved');
  assert.equal(O.countText(queueOf(create('A'))), '1 change not saved');
  assert.deepEqual(queue.entries.map(O.labelOf), [
    'Create “A”',
    'Move “T2” to In Progress',
    'Create “B”',
  ]);
  assert.equal(O.next(queue).taskId, -1);
});

test('repeated edits of one task are one entry: later fields win, the first version stays', () => {
  const queue = queueOf(
    edit(1, { name: 'one' }, 4),
    move(2, { sprint: 10, status: 3 }),
    edit(1, { name: 'two', description: 'd' }, 5, { sprint: 10, status: 2 }),
  );
  assert.deepEqual(kinds(queue), ['edit:1', 'move:2']);
  const [merged] = queue.entries;
  assert.deepEqual(merged.fields, { name: 'two', description: 'd' });
  assert.deepEqual(merged.move, { sprint: 10, status: 2 });
  // The first edit was made on version 4: sent with 5 it could overwrite someone's change.
  assert.equal(merged.version, 4);
  assert.equal(merged.opId, 'op0');
});

test('repeated moves of one task keep the last place, in the first move’s turn', () => {
  const queue = queueOf(
    move(1, { sprint: 10, status: 2 }),
    edit(2, { name: 'x' }),
    move(1, { sprint: null, status: 1 }),
  );
  assert.deepEqual(kinds(queue), ['move:1', 'edit:2']);
  assert.deepEqual(queue.entries[0].body, { sprint: null, status: 1 });
  assert.equal(O.labelOf(queue.entries[0]), 'Move “T1” to Backlog');
});

test('edits and moves of a task not yet created go into its create', () => {
  const queue = queueOf(
    create('A'),
    edit(-1, { name: 'A2', assigned: '', due: '2030-01-02' }, 0),
    move(-1, { sprint: 10, status: 4, after: 3 }),
  );
  assert.equal(queue.entries.length, 1);
  assert.deepEqual(queue.entries[0].body, {
    board: 1,
    sprint: 10,
    status: 4,
    name: 'A2',
    description: '',
    assigned: null,
    due: '2030-01-02',
  });
  assert.equal(O.labelOf(queue.entries[0]), 'Create “A2”');
});

test('deleting a task never created cancels it; deleting a task drops its queued edits', () => {
  const gone = queueOf(create('A'), edit(2, { name: 'x' }), del(-1, 0));
  assert.deepEqual(kinds(gone), ['edit:2']);
  const { entry } = O.add(queueOf(create('A')), del(-1, 0), 'op');
  assert.equal(entry, null);
  const dropped = queueOf(edit(1, { name: 'x' }), move(1, { sprint: null, status: 1 }), del(1));
  assert.deepEqual(kinds(dropped), ['delete:1']);
});

test('a change is never merged into one already on its way', () => {
  let queue = queueOf(edit(1, { name: 'one' }));
  queue = O.update(queue, queue.entries[0].id, { state: 'sending' });
  queue = O.add(queue, edit(1, { description: 'd' }), 'op9').queue;
  assert.deepEqual(kinds(queue), ['edit:1', 'edit:1']);
  assert.deepEqual(queue.entries[1].fields, { description: 'd' });
  assert.equal(O.next(queue), queue.entries[1]);
});

test('what each answer means', () => {
  const entry = queueOf(edit(1, { name: 'x' })).entries[0];
  const gone = queueOf(del(1)).entries[0];
  assert.equal(O.outcome(entry, null), 'done');
  assert.equal(O.outcome(entry, { status: 0, network: true }), 'retry');
  assert.equal(O.outcome(entry, { status: 503, network: true }), 'retry');
  assert.equal(O.outcome(entry, { status: 409, body: {} }), 'failed');
  assert.equal(O.outcome(entry, { status: 400, body: {} }), 'failed');
  assert.equal(O.outcome(entry, { status: 404, body: {} }), 'failed');
  assert.equal(O.outcome(gone, { status: 404, body: {} }), 'done');
  assert.equal(O.outcome(entry, { status: 500, body: {} }), 'failed');
});

test('a refused change stays, with its error, until retried or discarded', () => {
  let queue = queueOf(edit(1, { name: '' }), move(2, { sprint: 10, status: 2 }));
  const [first, second] = queue.entries;
  queue = O.fail(queue, first.id, {
    status: 400,
    body: { name: ['This field may not be blank.'] },
  });
  assert.equal(queue.entries.length, 2);
  assert.equal(O.stateText(queue.entries[0]), 'This field may not be blank.');
  // The others still go.
  assert.equal(O.next(queue).id, second.id);
  queue = O.fail(queue, second.id, { status: 409, body: { detail: 'stale', current: task(2) } });
  assert.equal(queue.entries[1].error.message, 'Someone else changed this task meanwhile.');
  assert.deepEqual(queue.entries[1].error.body.current, task(2));
  assert.equal(O.next(queue), null);
  const again = O.retry(queue, first.id);
  assert.equal(O.next(again).id, first.id);
  assert.equal(O.next(O.retry(queue)).id, first.id);
  assert.deepEqual(kinds(O.discard(queue, first.id)), ['move:2']);
  assert.deepEqual(kinds(O.discard(queue)), []);
});

test('a settled create names its task everywhere behind it', () => {
  let queue = queueOf(create('A'), move(2, { sprint: 10, status: 1, after: -1 }), create('B'));
  // Sending the create: an edit of it now waits for the real id.
  queue = O.update(queue, queue.entries[0].id, { state: 'sending' });
  queue = O.add(queue, edit(-1, { name: 'A2' }, 0), 'op7').queue;
  assert.equal(O.next(queue).kind, 'move');
  queue = O.update(queue, O.next(queue).id, { state: 'sending' });
  assert.equal(O.next(queue).taskId, -2);
  queue = O.settle(queue, queue.entries[0].id, task(40, { version: 1 }));
  assert.deepEqual(kinds(queue), ['move:2', 'create:-2', 'edit:40']);
  assert.equal(queue.entries[0].body.after, 40);
  assert.equal(queue.entries[2].version, 1);
});

test('changes behind a settled one build on its version; a refused one keeps its own', () => {
  let queue = queueOf(edit(1, { name: 'x' }, 3), del(2, 1), move(1, { sprint: null, status: 1 }));
  queue = O.add(queue, { ...edit(1, { description: 'later' }, 3), kind: 'edit' }, 'op').queue;
  // One refused edit of task 1 sits in front of a settled move of it.
  let twice = O.emptyQueue();
  twice = O.add(twice, edit(5, { name: 'a' }, 3), 'a').queue;
  twice = O.fail(twice, twice.entries[0].id, { status: 409, body: {} });
  twice = O.add(twice, move(5, { sprint: null, status: 1 }), 'b').queue;
  twice = O.add(twice, del(5, 3), 'c').queue;
  assert.deepEqual(kinds(twice), ['delete:5']);
  let mixed = O.emptyQueue();
  mixed = O.add(mixed, edit(5, { name: 'a' }, 3), 'a').queue;
  mixed = O.fail(mixed, mixed.entries[0].id, { status: 409, body: {} });
  mixed = O.add(mixed, move(5, { sprint: null, status: 1 }), 'b').queue;
  mixed = O.add(mixed, edit(6, { name: 'z' }, 2), 'c').queue;
  mixed = O.add(mixed, edit(5, { name: 'b' }, 3), 'd').queue;
  // The failed edit is not merged into: the new one waits behind the move.
  assert.deepEqual(kinds(mixed), ['edit:5', 'move:5', 'edit:6', 'edit:5']);
  mixed = O.settle(mixed, mixed.entries[1].id, task(5, { version: 4 }));
  assert.equal(mixed.entries[0].version, 3);
  assert.equal(mixed.entries[2].version, 4);
  assert.equal(mixed.entries[1].version, 2);
  queue = O.settle(queue, queue.entries[0].id, task(1, { version: 4 }));
  assert.deepEqual(kinds(queue), ['delete:2', 'move:1']);
});

test('the board shows the queued changes on top of the server’s rows', () => {
  const queue = queueOf(
    create('New card', { body: { ...create('x').body, name: 'New card', status: 2 } }),
    move(1, { sprint: 10, status: 1, after: 3 }),
    edit(2, { name: 'Renamed', assigned: 'bob', due: '' }, 1, { sprint: null, status: 1 }),
    del(3),
  );
  const before = state();
  const view = O.overlay(before, queue);
  assert.deepEqual(Object.keys(view.tasks).map(Number).sort(), [-1, 1, 2]);
  assert.equal(view.tasks[-1].name, 'New card');
  assert.equal(view.tasks[-1].status_display, 'In Progress');
  assert.equal(view.tasks[1].order, 3 * 1024 + 0.5);
  assert.equal(view.tasks[2].name, 'Renamed');
  assert.equal(view.tasks[2].assigned, 'bob');
  assert.equal(view.tasks[2].sprint, null);
  assert.equal(view.tasks[2].status_display, 'Backlog');
  // The server's state is not touched: it wins as soon as the queue empties.
  assert.deepEqual(before, state());
  assert.equal(O.overlay(before, O.emptyQueue()), before);
  assert.deepEqual([...O.unsavedIds(queue)].sort(), [-1, 1, 2]);
});

test('a move goes just before or after its anchor', () => {
  const base = state();
  const up = O.overlay(base, queueOf(move(3, { sprint: 10, status: 1, before: 1 })));
  const order = (s) =>
    Object.values(s.tasks)
      .sort((a, b) => a.order - b.order)
      .map((t) => t.id);
  assert.deepEqual(order(up), [3, 1, 2]);
  const down = O.overlay(base, queueOf(move(1, { sprint: 10, status: 1, after: 2 })));
  assert.deepEqual(order(down), [2, 1, 3]);
});

test('an echo of a write on its way lets the real card replace its stand-in', () => {
  let queue = queueOf(create('A'));
  queue = O.update(queue, queue.entries[0].id, { state: 'sending', tries: 1 });
  const real = task(50, { name: 'A' });
  const base = { ...state(), tasks: { ...state().tasks, 50: real } };
  assert.ok(O.overlay(base, queue).tasks[-1], 'a stand-in beside the real card');
  const { queue: next, settled } = O.echo(queue, 'op0', real);
  assert.equal(settled, false, 'its answer settles it');
  assert.equal(O.overlay(base, next).tasks[-1], undefined);
  assert.equal(next.entries.length, 1);
});

test('an echo of a write whose answer was lost settles it: it is never sent twice', () => {
  let queue = queueOf(create('A'), move(-1, { sprint: 10, status: 2 }), edit(2, { name: 'x' }));
  assert.equal(queue.entries.length, 2);
  queue = O.update(queue, queue.entries[0].id, { tries: 1 });
  const { queue: next, settled } = O.echo(queue, 'op0', task(60, { name: 'A' }));
  assert.equal(settled, true);
  assert.deepEqual(kinds(next), ['edit:2']);
  assert.equal(O.echo(next, 'unknown', null).entry, null);
  // A delete's event carries no row.
  const gone = O.echo(queueOf(del(3)), 'op0', null);
  assert.deepEqual(kinds(gone.queue), []);
  // An edit whose fields went in still owes its column.
  const both = queueOf(edit(1, { name: 'x' }, 1, { sprint: null, status: 1 }));
  const half = O.echo(both, 'op0', task(1, { version: 2 }));
  assert.equal(half.settled, false);
  assert.deepEqual(half.queue.entries[0].fields, {});
  assert.equal(half.queue.entries[0].version, 2);
});

test('a change merged into one already tried goes out under a new op id', () => {
  let queue = queueOf(edit(1, { name: 'one' }));
  queue = O.add(queue, edit(1, { description: 'd' }), 'fresh').queue;
  assert.equal(queue.entries[0].opId, 'op0', 'never sent: nothing to tell apart');
  queue = O.update(queue, queue.entries[0].id, { tries: 1 });
  queue = O.add(queue, edit(1, { name: 'two' }), 'newer').queue;
  assert.equal(queue.entries[0].opId, 'newer');
  // The first attempt's echo is not this entry's any more.
  assert.equal(O.echo(queue, 'op0', task(1)).entry, null);
});
