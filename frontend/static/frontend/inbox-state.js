// The inbox as plain data, so the bell's count can be reasoned about (and tested) apart
// from the DOM: state = {unread, items: [notification JSON], ready}.
//
// Every change is an op: {type: 'frame', frame, at} (a push), {type: 'read', id, at} (one
// marked read), {type: 'readAll', upTo, at} (all the page knew of, up to that id). Applying
// an op twice changes nothing, so a page fetched while ops were under way is brought up to
// date by replaying them onto it (settle): the count never drops back or counts twice.

import { STATUSES } from './state.js';

export const EMPTY = Object.freeze({ unread: 0, items: [], ready: false });

// Enough to show; the count comes from the server, never from the length of this list.
export const KEEP = 50;

export function fromPage(page) {
  const items = Array.isArray(page && page.results) ? page.results : [];
  const unread = Number.isInteger(page && page.unread)
    ? page.unread
    : items.filter((n) => !n.read_at).length;
  return { unread, items, ready: true };
}

// A push for an id the list has is the same notification grown (activity on a watched card
// coalesces into one row, notifications/services/activity.py): it replaces the old one and
// moves to the top, read or unread as it was, so the count is not raised twice.
function withFrame(state, frame, at) {
  const old = state.items.find((n) => n.id === frame.id);
  const item = {
    ...(old || { created_at: at, read_at: null }),
    id: frame.id,
    kind: frame.kind,
    title: frame.title,
    data: frame.data || {},
    updated_at: at,
  };
  if (old && sameContent(old, item)) return state;
  const rest = state.items.filter((n) => n !== old);
  const unread = old ? state.unread : state.unread + 1;
  return { ...state, unread, items: [item, ...rest].slice(0, KEEP) };
}

const sameContent = (a, b) =>
  a.kind === b.kind && a.title === b.title && JSON.stringify(a.data) === JSON.stringify(b.data);

function withRead(state, id, at) {
  const item = state.items.find((n) => n.id === id);
  if (!item || item.read_at) return state;
  return {
    ...state,
    unread: Math.max(0, state.unread - 1),
    items: state.items.map((n) => (n === item ? { ...n, read_at: at } : n)),
  };
}

// Only what the user could have seen: a push that lands after the click stays unread.
function withAllRead(state, upTo, at) {
  const items = state.items.map((n) => (!n.read_at && n.id <= upTo ? { ...n, read_at: at } : n));
  const unread = items.filter((n) => !n.read_at && n.id > upTo).length;
  return { ...state, unread, items };
}

export function apply(state, op) {
  if (op.type === 'frame') return withFrame(state, op.frame, op.at);
  if (op.type === 'read') return withRead(state, op.id, op.at);
  if (op.type === 'readAll') return withAllRead(state, op.upTo, op.at);
  return state;
}

// A fetched page, with the ops the server may not have seen when it answered.
export function settle(page, ops) {
  return ops.reduce(apply, fromPage(page));
}

export const newestId = (state) => state.items.reduce((max, n) => Math.max(max, n.id), 0);

export const isRead = (state, id) => state.items.some((n) => n.id === id && n.read_at);

export function bellLabel(unread) {
  if (!unread) return 'Notifications, none unread';
  return `Notifications, ${unread} unread`;
}

// The badge stays narrow: "99+" past two digits.
export const badgeText = (unread) => (unread > 99 ? '99+' : String(unread));

// The cards a notification is about, as links into the board page (`?task=` opens it): the
// digest lists rows {id, name, board: {id, name}}; a mention or a watched card's activity
// names one by id (data.board, data.task, data.task_name).
export function taskLinks(item) {
  const data = (item && item.data) || {};
  if (Number.isInteger(data.task) && Number.isInteger(data.board)) {
    return [{ href: taskHref(data.board, data.task), name: taskName(data), board: '' }];
  }
  const tasks = Array.isArray(data.tasks) ? data.tasks : data.task ? [data.task] : [];
  return tasks
    .filter((t) => t && t.id != null && t.board && t.board.id != null)
    .map((t) => ({
      href: taskHref(t.board.id, t.id),
      name: String(t.name || `Task ${t.id}`),
      board: String(t.board.name || ''),
    }));
}

const taskHref = (board, task) => `/boards/${board}/?task=${task}`;
const taskName = (data) => String(data.task_name || `Task ${data.task}`);
const who = (actor) => (actor && (actor.username || actor)) || 'Someone';

// What each kind is, for its icon and for a reader: the title alone may not say.
export const KINDS = {
  due_today: { icon: 'due', label: 'Due today' },
  mention: { icon: 'mention', label: 'Mention' },
  task_activity: { icon: 'activity', label: 'Activity on a watched card' },
};

export const kindOf = (item) => KINDS[item && item.kind] || { icon: 'bell', label: 'Notice' };

// The title, or one made from the data when the server sent none.
export function titleOf(item) {
  if (item && item.title) return item.title;
  const data = (item && item.data) || {};
  if (item && item.kind === 'mention')
    return `${who(data.actor)} mentioned you on “${taskName(data)}”`;
  if (item && item.kind === 'task_activity') return `Activity on “${taskName(data)}”`;
  return 'Notification';
}

function activityLine(entry) {
  const detail = entry.detail || {};
  if (entry.what === 'comment') {
    return detail.excerpt
      ? `${who(entry.actor)} commented: “${detail.excerpt}”`
      : `${who(entry.actor)} commented`;
  }
  if (entry.what === 'status') {
    const to = STATUSES.find((s) => s.id === detail.to);
    return `${who(entry.actor)} moved it${to ? ` to ${to.label}` : ''}`;
  }
  if (entry.what === 'assigned') return `${who(entry.actor)} changed the assignee`;
  return `${who(entry.actor)} changed it`;
}

// One line under the title: the mention's excerpt, or the newest of a card's coalesced
// activity with how many more there were.
export function summaryOf(item) {
  const data = (item && item.data) || {};
  if (item.kind === 'mention') return data.excerpt ? `“${data.excerpt}”` : '';
  if (item.kind !== 'task_activity') return '';
  const items = Array.isArray(data.items) ? data.items : [];
  if (!items.length) return '';
  const count = Math.max(Number(data.count) || 0, items.length);
  const newest = activityLine(items[items.length - 1]);
  return count > 1 ? `${newest} (and ${count - 1} more)` : newest;
}

// "just now", "5 min ago", "3 h ago", then the date: short enough for a narrow popover.
export function timeLabel(iso, nowMs, locale) {
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return '';
  const seconds = Math.max(0, Math.round((nowMs - then) / 1000));
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)} h ago`;
  return new Date(then).toLocaleDateString(locale, { month: 'short', day: 'numeric' });
}
