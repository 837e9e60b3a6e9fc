// The inbox as plain data, so the bell's count can be reasoned about (and tested) apart
// from the DOM: state = {unread, items: [notification JSON], ready}.
//
// Every change is an op: {type: 'frame', frame, at} (a push), {type: 'read', id, at} (one
// marked read), {type: 'readAll', upTo, at} (all the page knew of, up to that id). Applying
// an op twice changes nothing, so a page fetched while ops were under way is brought up to
// date by replaying them onto it (settle): the count never drops back or counts twice.

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

function withFrame(state, frame, at) {
  if (state.items.some((n) => n.id === frame.id)) return state;
  const item = {
    id: frame.id,
    kind: frame.kind,
    title: frame.title,
    data: frame.data || {},
    created_at: at,
    read_at: null,
  };
  return { ...state, unread: state.unread + 1, items: [item, ...state.items].slice(0, KEEP) };
}

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

// The cards a notification is about, as links into the board page (`?task=` opens it).
export function taskLinks(item) {
  const data = (item && item.data) || {};
  const tasks = Array.isArray(data.tasks) ? data.tasks : data.task ? [data.task] : [];
  return tasks
    .filter((t) => t && t.id != null && t.board && t.board.id != null)
    .map((t) => ({
      href: `/boards/${t.board.id}/?task=${t.id}`,
      name: String(t.name || `Task ${t.id}`),
      board: String(t.board.name || ''),
    }));
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
