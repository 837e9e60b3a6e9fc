// What this user looks at, for the others' presence: a focused card or an open dialog (the
// dialog wins), and whether they are editing it (`mode`, spec 5). Tabbing across cards fires
// a burst of focus changes: only where it settles is sent, and only when it changed (or when
// a new socket needs it again). No DOM: `node --test` covers it (frontend/tests/presence.test.mjs).

const SETTLE_MS = 120;

export class FocusTracker {
  // send({task, mode}) -> whether the frame went out (false while the socket is down);
  // canEdit() -> whether the user may write now: a dialog open for a reader is a view.
  constructor(send, canEdit = () => true) {
    this.send = send;
    this.canEdit = canEdit;
    this.by = { card: null, dialog: null };
    this.editing = false;
    this.focus = null;
    this.sent = undefined;
    this.timer = null;
  }

  // editing: the source is a dialog open to change the task (not a read-only one).
  set(taskId, source, editing = false) {
    this.by[source] = taskId;
    if (source === 'dialog') this.editing = taskId != null && editing;
    this.focus = this.by.dialog ?? this.by.card;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flush();
    }, SETTLE_MS);
  }

  // What the others should see now: a write access lost (or gained) turns an open edit into
  // a view (and back) without the dialog doing anything.
  current() {
    const edit = this.by.dialog != null && this.editing && this.canEdit();
    return { task: this.focus, mode: edit ? 'edit' : 'view' };
  }

  flush(force = false) {
    const now = this.current();
    const key = `${now.task}:${now.mode}`;
    if (!force && this.sent === key) return;
    if (this.send(now)) this.sent = key;
  }

  // After a change of the page's state: sends only if the intent changed (a settling burst
  // is left to its timer).
  refresh() {
    if (this.timer === null) this.flush();
  }

  stop() {
    clearTimeout(this.timer);
    this.timer = null;
  }
}

// The others whose dialog edits `taskId`, as names (full name if known), for the "is
// editing" banner. users: presence rows {id, username, full_name, focus, mode}.
export function editorsOf(users, taskId, meId, nameOf = (u) => u.full_name || u.username) {
  if (taskId == null) return [];
  const seen = new Map();
  for (const u of users || []) {
    if (u.id === meId || u.focus !== taskId || u.mode !== 'edit' || seen.has(u.id)) continue;
    seen.set(u.id, nameOf(u));
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

// "Bob is editing this card", "Ann and Bob are editing…", "Ann, Bob and Cy are editing…".
export function editingSentence(names) {
  if (!names.length) return '';
  if (names.length === 1) return `${names[0]} is editing this card`;
  const list = `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${list} are editing this card`;
}
