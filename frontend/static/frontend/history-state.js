// The board's past as plain data (SPEC section 11): instants in the board's time zone, the
// read-only state of a past snapshot, which of my own changes a toast may offer to undo, and
// the texts of the trash and of a refused undo. No DOM, no I/O: `node --test` covers it.

import { STATUSES, fromSnapshot } from './state.js';

// The kinds the server can revert (POST /api/boards/{id}/events/{seq}/revert/).
export const UNDOABLE = new Set(['task.updated', 'task.moved', 'task.deleted']);

const pad = (n, width = 2) => String(n).padStart(width, '0');

// Wall-clock fields of `date` in `timeZone`, as numbers.
function zoneFields(date, timeZone) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    second: get('second'),
  };
}

// Minutes `timeZone` is ahead of UTC at `date` (Europe/Paris in winter: 60).
export function zoneOffsetMinutes(date, timeZone) {
  const f = zoneFields(date, timeZone);
  const asUtc = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / 60000);
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

// A datetime-local value ("2026-03-29T02:30[:15]") read in the board's zone, as a UTC ISO
// instant for ?at=. The offset is looked up twice: the first guess can sit on the other side
// of a DST change. A wall time that does not exist (the spring-forward gap) lands after it,
// as a clock would. Returns null for anything else.
export function zonedToIso(local, timeZone) {
  const m = LOCAL.exec(String(local || ''));
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x || 0));
  const wall = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(wall)) return null;
  const zone = timeZone || 'UTC';
  let t = wall - zoneOffsetMinutes(new Date(wall), zone) * 60000;
  t = wall - zoneOffsetMinutes(new Date(t), zone) * 60000;
  return new Date(t).toISOString();
}

// An instant as the board's wall clock, for a datetime-local input ("2026-03-01T09:30:05").
export function isoToZonedLocal(iso, timeZone) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const f = zoneFields(date, timeZone || 'UTC');
  return `${f.year}-${pad(f.month)}-${pad(f.day)}T${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
}

// "1 Mar 2026, 09:30:05 (Europe/Paris)": the zone is named, since the reader's may differ.
export function formatInZone(iso, timeZone, locale = undefined) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso || '');
  const zone = timeZone || 'UTC';
  const text = new Intl.DateTimeFormat(locale, {
    timeZone: zone,
    dateStyle: 'medium',
    timeStyle: 'medium',
  }).format(date);
  return `${text} (${zone})`;
}

// A past snapshot as page state: the same shape as the live one, but nothing may be done to
// it whatever role the caller holds (the past is read-only).
export function pastState(snapshot, me = null) {
  const state = fromSnapshot(snapshot, { me });
  const asOf = snapshot.as_of || {};
  return {
    ...state,
    can: { write: false, manage: false },
    asOf: { seq: asOf.seq != null ? asOf.seq : snapshot.seq, at: asOf.at || null },
  };
}

// The heading of the past view: "Board as of <time> (read-only)", by seq when no time is known.
export function asOfTitle(past, timeZone) {
  const when = past.asOf.at ? formatInZone(past.asOf.at, timeZone) : `change #${past.asOf.seq}`;
  return `Board as of ${when} (read-only)`;
}

// The seqs the step buttons go to: none before the retained history or after the live head.
export function steps(seq, { historyFrom = 0, head }) {
  return {
    earlier: seq > historyFrom ? seq - 1 : null,
    later: head != null && seq < head ? seq + 1 : null,
  };
}

function columnName(task, sprints) {
  if (!task || task.sprint == null) return 'Backlog';
  const status = STATUSES.find((s) => s.id === task.status);
  const label = status ? status.label : `status ${task.status}`;
  const sprint = sprints && sprints[task.sprint];
  return sprint && sprint.name ? `${label} (${sprint.name})` : label;
}

const userIdOf = (actor) => (actor && typeof actor === 'object' ? actor.id : actor);

// The toast for an applied event, when it is my own undoable change (an undo is not itself
// undone from a toast): { seq, taskId, title } or null. nameOf(id): the card's last known
// name (a delete's event carries no name).
export function undoOffer(event, meId, nameOf = () => null, sprints = {}) {
  if (!event || !UNDOABLE.has(event.name) || meId == null) return null;
  if (userIdOf(event.actor) !== meId) return null;
  const data = event.data || {};
  if (data.reverts != null) return null;
  const task = event.name === 'task.moved' ? data.task : data;
  const taskId = task && task.id;
  if (taskId == null) return null;
  const name = (event.name !== 'task.deleted' && task.name) || nameOf(taskId) || 'the card';
  const titles = {
    'task.updated': `Saved “${name}”`,
    'task.moved': `Moved “${name}” to ${columnName(task, sprints)}`,
    'task.deleted': `Deleted “${name}”`,
  };
  return { seq: event.seq, taskId, title: titles[event.name] };
}

// Whether an applied event undoes the change a toast offers (the undo came from here, or
// from another tab of mine): then the offer is spent.
export function revertsOffer(event, offer) {
  return Boolean(offer && event && event.data && event.data.reverts === offer.seq);
}

// A refused undo (409 {detail, current}): what happened and the card as it is now.
export function conflictText(body) {
  const b = body && typeof body === 'object' ? body : {};
  const detail = b.detail || 'The card changed after your change.';
  const c = b.current;
  if (!c) return `Someone changed it since: ${detail}`;
  const where = c.status_display || columnName(c);
  const who = c.assigned ? `, assigned to ${c.assigned}` : '';
  return `Someone changed it since: ${detail} Now: “${c.name}” in ${where}${who}.`;
}

// A trash row (task JSON + deleted_at, deleted_by) as the list shows it.
export function trashLine(row, { timeZone, nameOf = (u) => u } = {}) {
  const by = row.deleted_by;
  const who = by ? by.full_name || nameOf(by.username) || by.username : null;
  const when = row.deleted_at ? formatInZone(row.deleted_at, timeZone) : '';
  const parts = [when && `Deleted ${when}`, who && `by ${who}`].filter(Boolean);
  return { id: row.id, name: row.name, text: parts.join(' ') || 'Deleted' };
}

// The next page's path from a DRF `next` URL (same origin: keep only path and query).
export function nextPath(next) {
  if (!next) return null;
  const url = new URL(next, 'http://localhost');
  return url.pathname + url.search;
}
