// What this user looks at, for the others' presence: a focused card or an open dialog (the
// dialog wins). Tabbing across cards fires a burst of focus changes: only where it settles
// is sent, and only when it changed (or when a new socket needs it again).

const SETTLE_MS = 120;

export class FocusTracker {
  // send(taskId | null) -> whether the frame went out (false while the socket is down)
  constructor(send) {
    this.send = send;
    this.by = { card: null, dialog: null };
    this.focus = null;
    this.sent = undefined;
    this.timer = null;
  }

  set(taskId, source) {
    this.by[source] = taskId;
    this.focus = this.by.dialog ?? this.by.card;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), SETTLE_MS);
  }

  flush(force = false) {
    if (!force && this.sent === this.focus) return;
    if (this.send(this.focus)) this.sent = this.focus;
  }

  stop() {
    clearTimeout(this.timer);
  }
}
