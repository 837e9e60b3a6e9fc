// Planning and report arithmetic as plain data: point sums, what a sprint's lifecycle
// offers, the planning view's lists and the charts' geometry. No DOM, no I/O: `node --test`
// covers it (frontend/tests/planning.test.mjs).

import { applyLocalSprint, applyLocalTask, columnTasks } from './state.js';

// Points are one-decimal numbers; sums of floats drift (0.1 + 0.2), so every sum is rounded
// back to one decimal before anyone sees it.
const tenth = (n) => Math.round(n * 10) / 10;

export function sumPoints(tasks) {
  return tenth(tasks.reduce((sum, t) => sum + (t.points == null ? 0 : Number(t.points)), 0));
}

// "3 pt" / "0.5 pt" as shown; spoken as "3 story points" (an unestimated card says so).
export function pointsText(points) {
  return `${tenth(Number(points))} pt`;
}

export function pointsSpoken(points) {
  if (points == null) return 'not estimated';
  const n = tenth(Number(points));
  return `${n} story point${n === 1 ? '' : 's'}`;
}

export const STATE_LABELS = { planned: 'planned', active: 'active', closed: 'closed' };

export function sprintLabel(sprint) {
  return sprint ? sprint.name || 'Untitled sprint' : '';
}

export function activeSprint(state) {
  return Object.values(state.sprints).find((sp) => sp.state === 'active') || null;
}

// Why "Start sprint" is refused, or null when it may start (SPEC 11: one active per board).
export function startBlocker(state, sprintId) {
  const sprint = state.sprints[sprintId];
  if (!sprint || sprint.state !== 'planned') return 'Only a planned sprint can start.';
  const running = activeSprint(state);
  if (running && running.id !== sprint.id) {
    return `“${sprintLabel(running)}” is active: close it before starting another.`;
  }
  return null;
}

// Where a closing sprint's unfinished cards may go: the backlog (null) or another sprint
// that still takes tasks, earliest end first.
export function carryTargets(state, sprintId) {
  const others = Object.values(state.sprints)
    .filter((sp) => sp.id !== sprintId && (sp.state === 'planned' || sp.state === 'active'))
    .sort((a, b) => a.end.localeCompare(b.end) || a.id - b.id);
  return [
    { id: null, label: 'Backlog' },
    ...others.map((sp) => ({ id: sp.id, label: sprintLabel(sp) })),
  ];
}

export function unfinished(state, sprintId) {
  return Object.values(state.tasks).filter((t) => t.sprint === sprintId && t.status !== 4);
}

// The planning view: the backlog in its order, the sprint's cards by column then order.
export function planningLists(state, sprintId) {
  const backlog = columnTasks(state, { sprint: null, status: 1 });
  const sprint = Object.values(state.tasks)
    .filter((t) => sprintId != null && t.sprint === sprintId)
    .sort((a, b) => a.status - b.status || a.order - b.order || a.id - b.id);
  return {
    backlog,
    sprint,
    totals: {
      backlog: { tasks: backlog.length, points: sumPoints(backlog) },
      sprint: { tasks: sprint.length, points: sumPoints(sprint) },
    },
  };
}

// A lifecycle or planning response on the board state: the sprint (the body itself or its
// `sprint`) and the tasks it moved (`tasks` or `carried`), never older than what we hold.
export function applyLifecycle(state, body) {
  if (!body || typeof body !== 'object') return state;
  const sprint = body.sprint && typeof body.sprint === 'object' ? body.sprint : body;
  let next = sprint.id != null ? applyLocalSprint(state, sprint) : state;
  for (const task of [...(body.tasks || []), ...(body.carried || [])]) {
    if (task && typeof task === 'object') next = applyLocalTask(next, task);
  }
  return next;
}

// --- chart geometry --------------------------------------------------------------------

export const CHART = { width: 480, height: 220, pad: { left: 40, right: 14, top: 14, bottom: 30 } };

// The smallest of 1, 2, 2.5, 5 × 10^k at or above `value` (an axis that ends on a round
// number), and never 0 so an empty sprint still has an axis.
export function niceMax(value) {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * power >= value - 1e-9);
  return tenth(step * power) || step * power;
}

function frame(box) {
  const { width, height, pad } = box;
  return { x0: pad.left, x1: width - pad.right, y0: pad.top, y1: height - pad.bottom };
}

const path = (points) =>
  points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)} ${p.y.toFixed(1)}`).join(' ');

// report: the burndown JSON (SPEC 11). Days run over the ideal line's dates and the measured
// ones (the measured stop at today, the ideal goes on to the end).
export function burndownGeometry(report, box = CHART) {
  const days = report.unit_days || [];
  const ideal = report.ideal || [];
  const dates = [...new Set([...ideal.map((d) => d.date), ...days.map((d) => d.date)])].sort();
  const top = niceMax(
    Math.max(
      0,
      ...days.map((d) => Math.max(d.scope_points, d.remaining_points)),
      ...ideal.map((d) => d.remaining_points),
    ),
  );
  const f = frame(box);
  const at = new Map(dates.map((d, i) => [d, i]));
  const x = (date) =>
    dates.length > 1
      ? f.x0 + (at.get(date) / (dates.length - 1)) * (f.x1 - f.x0)
      : (f.x0 + f.x1) / 2;
  const y = (value) => f.y1 - (Number(value) / top) * (f.y1 - f.y0);
  const line = (rows, key) =>
    rows.map((r) => ({ x: x(r.date), y: y(r[key]), date: r.date, value: r[key] }));
  const remaining = line(days, 'remaining_points');
  const scope = line(days, 'scope_points');
  const idealPts = line(ideal, 'remaining_points');
  return {
    frame: f,
    top,
    dates,
    remaining: { points: remaining, d: path(remaining) },
    scope: { points: scope, d: path(scope) },
    ideal: { points: idealPts, d: path(idealPts) },
    yTicks: [0, top / 2, top].map((v) => ({ value: tenth(v), y: y(v) })),
    xTicks: xTicks(dates).map((date) => ({ date, x: x(date) })),
  };
}

// First, last and (for longer sprints) the middle day: enough to read, never crowded.
function xTicks(dates) {
  if (dates.length <= 2) return dates;
  return [dates[0], dates[Math.floor((dates.length - 1) / 2)], dates[dates.length - 1]];
}

// rows: the velocity JSON, newest first; the chart reads oldest to newest, left to right.
export function velocityGeometry(rows, box = CHART) {
  const ordered = [...rows].reverse();
  const top = niceMax(
    Math.max(0, ...ordered.map((r) => Math.max(r.committed_points, r.completed_points))),
  );
  const f = frame(box);
  const band = ordered.length ? (f.x1 - f.x0) / ordered.length : 0;
  const barWidth = Math.min(28, band * 0.36);
  const y = (value) => f.y1 - (Number(value) / top) * (f.y1 - f.y0);
  const bar = (value, left) => ({
    x: left,
    y: y(value),
    width: barWidth,
    height: f.y1 - y(value),
    value,
  });
  return {
    frame: f,
    top,
    yTicks: [0, top / 2, top].map((v) => ({ value: tenth(v), y: y(v) })),
    groups: ordered.map((row, i) => {
      const mid = f.x0 + band * (i + 0.5);
      return {
        row,
        label: row.name || 'Untitled sprint',
        mid,
        committed: bar(row.committed_points, mid - barWidth - 1),
        completed: bar(row.completed_points, mid + 1),
      };
    }),
  };
}

// Runs `fn` once, `wait` ms after the last call (a burst of events costs one refetch).
export function debounce(fn, wait = 300, timers = globalThis) {
  let handle = null;
  const call = (...args) => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = timers.setTimeout(() => {
      handle = null;
      fn(...args);
    }, wait);
  };
  call.cancel = () => {
    if (handle !== null) timers.clearTimeout(handle);
    handle = null;
  };
  return call;
}
