// Pure state for board, sprint and member management and for the live boards list: no DOM,
// no I/O, so `node --test` covers it (frontend/tests/manage.test.mjs).

// --- the board page's state after our own writes (their events may still be in flight) ----

// Our PATCH's answer: the board's fields change; `can` stays the socket's (state.can).
export function withBoard(state, board) {
  const { name, description, timezone } = board;
  return { ...state, board: { ...state.board, name, description, timezone } };
}

// We deleted a sprint (204, no body). The server put its tasks back in the backlog, Not
// Started and without dates; the sprint.deleted event brings those rows with their versions,
// and they win over these (a higher version).
export function withoutSprint(state, sprintId) {
  if (!(sprintId in state.sprints)) return state;
  const sprints = { ...state.sprints };
  delete sprints[sprintId];
  const tasks = { ...state.tasks };
  for (const task of Object.values(state.tasks)) {
    if (task.sprint !== sprintId) continue;
    tasks[task.id] = { ...task, sprint: null, status: 1, started: null, completed: null };
  }
  return { ...state, sprints, tasks };
}

// We removed a member (204): as the member.removed event will, their cards are unassigned.
export function withoutMember(state, userId) {
  const gone = state.members.find((m) => m.user.id === userId);
  if (!gone) return state;
  const tasks = { ...state.tasks };
  for (const task of Object.values(state.tasks)) {
    if (task.assigned === gone.user.username) tasks[task.id] = { ...task, assigned: null };
  }
  return { ...state, tasks, members: state.members.filter((m) => m.user.id !== userId) };
}

// --- who may do what to a member row: the API's rules, so the page offers only those -----

// The board's creator (`board.owner`) cannot be demoted or removed; owners manage everyone
// else; anyone but the creator may leave.
export function memberActions(state, member) {
  const creator = member.user.username === state.board.owner;
  const me = state.me != null && member.user.id === state.me;
  const manage = state.can.manage === true;
  return {
    changeRole: manage && !creator,
    remove: manage && !creator && !me,
    leave: me && !creator,
  };
}

export const ROLES = [
  { value: 'owner', label: 'Owner' },
  { value: 'member', label: 'Member (can edit)' },
  { value: 'viewer', label: 'Viewer (read only)' },
];

// --- dates in the board's time zone ---------------------------------------------------------

// YYYY-MM-DD at `now` in an IANA zone (the board's "today" for the sprint rules).
export function todayIn(timeZone, now = new Date()) {
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone: timeZone || 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(now);
    const get = (type) => parts.find((p) => p.type === type).value;
    return `${get('year')}-${get('month')}-${get('day')}`;
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

// The zones a select offers: the browser's list, plus UTC and the current value (a name the
// browser does not list, e.g. a legacy alias, must stay selectable).
export function zoneChoices(current, supported = []) {
  return [...new Set([...supported, 'UTC', current].filter(Boolean))].sort();
}

// --- the boards list, kept live by `membership.*` frames (docs/realtime.md) ----------------

const byName = (a, b) => a.name.localeCompare(b.name) || a.id - b.id;

// boards: the list as shown. Returns { boards, change } where change is null (nothing to
// do), or { kind: 'added' | 'updated' | 'removed', board, frame }.
export function applyBoardsFrame(boards, frame) {
  const board = frame && frame.board;
  if (!board || typeof board.id !== 'number') return { boards, change: null };
  const rest = boards.filter((b) => b.id !== board.id);
  const known = rest.length !== boards.length;
  if (frame.type === 'membership.removed') {
    return known
      ? { boards: rest, change: { kind: 'removed', board, frame } }
      : { boards, change: null };
  }
  if (frame.type !== 'membership.added' && frame.type !== 'membership.updated') {
    return { boards, change: null };
  }
  const kind = known ? 'updated' : 'added';
  return { boards: [...rest, board].sort(byName), change: { kind, board, frame } };
}

// What a removal frame tells the user, or null when they did it themselves.
export function removalText(frame, meId) {
  const actor = frame.actor;
  const name = `“${frame.board.name}”`;
  if (actor && actor.id === meId) return null;
  const who = actor ? actor.username : 'Someone';
  if (frame.reason === 'deleted') return `${who} deleted the board ${name}`;
  if (frame.reason === 'removed') return `${who} removed you from ${name}`;
  return null;
}
