// Planning arithmetic and chart geometry (planning-math.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as P from '../static/frontend/planning-math.js';

function state(over = {}) {
  return {
    sprints: {
      10: { id: 10, name: 'S10', end: '2030-01-10', state: 'active', version: 1 },
      11: { id: 11, name: 'S11', end: '2030-01-24', state: 'planned', version: 1 },
      12: { id: 12, name: '', end: '2030-02-07', state: 'planned', version: 1 },
      9: { id: 9, name: 'S9', end: '2029-12-27', state: 'closed', version: 4 },
    },
    tasks: {
      1: { id: 1, sprint: 10, status: 4, order: 1, points: 3, version: 1 },
      2: { id: 2, sprint: 10, status: 2, order: 1, points: 0.1, version: 1 },
      3: { id: 3, sprint: 10, status: 1, order: 2, points: 0.2, version: 1 },
      4: { id: 4, sprint: null, status: 1, order: 2, points: null, version: 1 },
      5: { id: 5, sprint: null, status: 1, order: 1, points: 5, version: 1 },
    },
    can: { write: true },
    ...over,
  };
}

test('sumPoints: unestimated cards count 0 and float drift is rounded away', () => {
  const tasks = Object.values(state().tasks);
  assert.equal(P.sumPoints(tasks.filter((t) => t.sprint === 10)), 3.3);
  assert.equal(P.sumPoints([{ points: 0.1 }, { points: 0.2 }]), 0.3);
  assert.equal(P.sumPoints([]), 0);
  assert.equal(P.pointsText(2.5), '2.5 pt');
  assert.equal(P.pointsSpoken(1), '1 story point');
  assert.equal(P.pointsSpoken(3), '3 story points');
  assert.equal(P.pointsSpoken(null), 'not estimated');
});

test('startBlocker: refused while another sprint is active, with its name', () => {
  assert.match(P.startBlocker(state(), 11), /“S10” is active/);
  const none = state();
  none.sprints[10] = { ...none.sprints[10], state: 'closed' };
  assert.equal(P.startBlocker(none, 11), null);
  assert.match(P.startBlocker(none, 9), /Only a planned sprint/);
});

test('carryTargets: backlog first, then sprints that still take tasks, by end', () => {
  const targets = P.carryTargets(state(), 10);
  assert.deepEqual(targets, [
    { id: null, label: 'Backlog' },
    { id: 11, label: 'S11' },
    { id: 12, label: 'Untitled sprint' },
  ]);
  assert.deepEqual(
    P.unfinished(state(), 10)
      .map((t) => t.id)
      .sort(),
    [2, 3],
  );
});

test('planningLists: backlog in order, sprint by column, with totals', () => {
  const lists = P.planningLists(state(), 10);
  assert.deepEqual(
    lists.backlog.map((t) => t.id),
    [5, 4],
  );
  assert.deepEqual(
    lists.sprint.map((t) => t.id),
    [3, 2, 1],
  );
  assert.deepEqual(lists.totals, {
    backlog: { tasks: 2, points: 5 },
    sprint: { tasks: 3, points: 3.3 },
  });
});

test('applyLifecycle: a sprint body or {sprint, tasks}, never going back in version', () => {
  const s = state();
  const started = P.applyLifecycle(s, { ...s.sprints[11], state: 'active', version: 2 });
  assert.equal(started.sprints[11].state, 'active');
  const planned = P.applyLifecycle(s, {
    sprint: { ...s.sprints[11], version: 3 },
    tasks: [{ ...s.tasks[5], sprint: 11, version: 2 }, 7],
  });
  assert.equal(planned.tasks[5].sprint, 11);
  const stale = P.applyLifecycle(s, { ...s.sprints[9], version: 1, state: 'active' });
  assert.equal(stale.sprints[9].state, 'closed');
  assert.equal(P.applyLifecycle(s, null), s);
});

test('niceMax: a round top for the axis, never 0', () => {
  assert.equal(P.niceMax(0), 1);
  assert.equal(P.niceMax(7), 10);
  assert.equal(P.niceMax(13), 20);
  assert.equal(P.niceMax(21), 25);
  assert.equal(P.niceMax(40), 50);
  assert.equal(P.niceMax(100), 100);
  assert.equal(P.niceMax(0.3), 0.5);
});

const report = {
  unit_days: [
    {
      date: '2030-01-01',
      scope_points: 10,
      remaining_points: 10,
      scope_tasks: 4,
      remaining_tasks: 4,
    },
    {
      date: '2030-01-02',
      scope_points: 12,
      remaining_points: 7,
      scope_tasks: 5,
      remaining_tasks: 3,
    },
  ],
  ideal: [
    { date: '2030-01-01', remaining_points: 10 },
    { date: '2030-01-02', remaining_points: 5 },
    { date: '2030-01-03', remaining_points: 0 },
  ],
};

test('burndownGeometry: days span the ideal line, y grows downwards from the top value', () => {
  const g = P.burndownGeometry(report);
  const { x0, x1, y0, y1 } = g.frame;
  assert.deepEqual(g.dates, ['2030-01-01', '2030-01-02', '2030-01-03']);
  assert.equal(g.top, 20);
  assert.equal(g.remaining.points.length, 2);
  assert.equal(g.remaining.points[0].x, x0);
  assert.equal(g.ideal.points[2].x, x1);
  assert.equal(g.ideal.points[2].y, y1, 'zero sits on the axis');
  assert.equal(g.remaining.points[1].x, (x0 + x1) / 2, 'the middle day is in the middle');
  assert.equal(g.remaining.points[0].y, y1 - (10 / 20) * (y1 - y0));
  assert.ok(g.scope.points[1].y < g.scope.points[0].y, 'a scope increase goes up');
  assert.match(g.remaining.d, /^M\d+\.\d \d+\.\d L/);
  assert.deepEqual(
    g.yTicks.map((t) => t.value),
    [0, 10, 20],
  );
  assert.deepEqual(
    g.xTicks.map((t) => t.date),
    g.dates,
  );
});

test('burndownGeometry: no days yet still draws an axis', () => {
  const g = P.burndownGeometry({ unit_days: [], ideal: [] });
  assert.equal(g.top, 1);
  assert.equal(g.remaining.d, '');
});

test('velocityGeometry: oldest sprint left, bars scaled to the top', () => {
  const rows = [
    { sprint: 2, name: 'New', committed_points: 8, completed_points: 8 },
    { sprint: 1, name: 'Old', committed_points: 10, completed_points: 5 },
  ];
  const g = P.velocityGeometry(rows);
  assert.deepEqual(
    g.groups.map((x) => x.label),
    ['Old', 'New'],
  );
  assert.equal(g.top, 10);
  const old = g.groups[0];
  assert.equal(old.committed.height, g.frame.y1 - g.frame.y0);
  assert.equal(old.completed.height, (g.frame.y1 - g.frame.y0) / 2);
  assert.ok(old.committed.x + old.committed.width <= old.completed.x, 'side by side');
  assert.ok(g.groups[1].mid > old.mid);
  assert.deepEqual(P.velocityGeometry([]).groups, []);
});

test('debounce: a burst becomes one call, after the last one', () => {
  const timers = fakeTimers();
  const calls = [];
  const run = P.debounce((x) => calls.push(x), 300, timers);
  run(1);
  timers.advance(200);
  run(2);
  timers.advance(200);
  assert.deepEqual(calls, []);
  timers.advance(100);
  assert.deepEqual(calls, [2]);
  run(3);
  run.cancel();
  timers.advance(1000);
  assert.deepEqual(calls, [2]);
});

function fakeTimers() {
  let now = 0;
  let id = 0;
  const due = new Map();
  return {
    setTimeout(fn, ms) {
      due.set(++id, { fn, at: now + ms });
      return id;
    },
    clearTimeout(handle) {
      due.delete(handle);
    },
    advance(ms) {
      now += ms;
      for (const [key, t] of [...due]) {
        if (t.at <= now) {
          due.delete(key);
          t.fn();
        }
      }
    },
  };
}
