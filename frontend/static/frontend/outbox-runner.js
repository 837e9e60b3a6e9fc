// Sends the board's writes through the unsaved-change queue (the rules: outbox.js). A write
// with nothing queued before it goes at once, and an error the app answers with (400, 409)
// goes back to the caller, whose form still holds the input; one that never reached the app
// waits in the queue, in order, and the queue is sent again when the socket is live (and
// by the user's Retry). Errors met by queued changes stay in the queue, shown, until the user
// retries or discards them.

import * as api from './api.js';
import * as O from './outbox.js';
import { patchBody } from './task-edit.js';

// Another try a while after a network failure while the socket is live (a proxy's 503).
const LIVE_RETRY_MS = 5000;

// on: { changed(queue), progress(entry, row) (a row the server accepted: the page applies it),
//       settled(entry, row), failed(entry, byUser) (a queued change met an error; byUser:
//       on the user's Retry), live() -> bool }
export class OutboxRunner {
  constructor(on) {
    this.on = on;
    this.queue = O.emptyQueue();
    this.flushing = null;
    this.timer = null;
    this.userAsked = false;
    this.stopped = false;
  }

  get entries() {
    return this.queue.entries;
  }

  set(queue) {
    this.queue = queue;
    this.on.changed(queue);
  }

  // -> { saved: row | null } when the server took it now, { queued: entry } when it waits;
  // throws the ApiError of a refusal (nothing is queued then).
  async submit(change) {
    // Refused changes do not hold new ones back; waiting ones do (the order is the user's).
    const idle = this.entries.every((e) => e.state === 'failed');
    const { queue, entry } = O.add(this.queue, change, api.newOpId());
    this.set(queue);
    if (!entry) return { saved: null };
    const next = O.next(queue);
    if (!idle || !next || next.id !== entry.id) {
      this.flush();
      return { queued: entry };
    }
    const { row, error } = await this.sendOne(entry);
    if (error && !error.network) {
      this.set(O.discard(this.queue, entry.id));
      throw error;
    }
    return error ? { queued: entry } : { saved: row };
  }

  // Every waiting change, in order, until one cannot reach the server.
  flush() {
    if (!this.flushing && !this.stopped) {
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
        this.userAsked = false;
      });
    }
    return this.flushing;
  }

  async drain() {
    clearTimeout(this.timer);
    for (let entry = O.next(this.queue); entry; entry = O.next(this.queue)) {
      const { error } = await this.sendOne(entry);
      if (error && error.network) return;
      const now = this.entries.find((e) => e.id === entry.id);
      if (error) this.on.failed(now, this.userAsked);
    }
  }

  // One entry to the server: settled, back to waiting, or failed, as outbox.js decides.
  async sendOne(sent) {
    const tries = (sent.tries || 0) + 1;
    this.set(O.update(this.queue, sent.id, { state: 'sending', tries }));
    const entry = this.entries.find((e) => e.id === sent.id);
    try {
      const row = await this.request(entry);
      this.set(O.settle(this.queue, entry.id, row));
      this.on.settled(entry, row);
      return { row };
    } catch (error) {
      const verdict = O.outcome(entry, error);
      if (verdict === 'done') {
        this.set(O.settle(this.queue, entry.id, null));
        this.on.settled(entry, null);
        return { row: null };
      }
      if (verdict === 'retry') {
        this.set(O.update(this.queue, entry.id, { state: 'waiting' }));
        this.later();
      } else this.set(O.fail(this.queue, entry.id, error));
      return { error };
    }
  }

  // The socket going live sends the queue again; while it stays live (a proxy's 503 with
  // the socket up) nothing else would, so try again after a while.
  later() {
    clearTimeout(this.timer);
    if (!this.stopped && this.on.live()) this.timer = setTimeout(() => this.flush(), LIVE_RETRY_MS);
  }

  async request(entry) {
    const { opId } = entry;
    if (entry.kind === 'create') return api.post('/api/tasks/', entry.body, opId);
    if (entry.kind === 'delete') return api.del(`/api/tasks/${entry.taskId}/`, entry.version);
    if (entry.kind === 'move') {
      return api.post(`/api/tasks/${entry.taskId}/move/`, realAnchors(entry.body), opId);
    }
    return this.sendEdit(entry);
  }

  // The fields (PATCH), then the column (move) on the PATCH's version: once the PATCH is in,
  // the entry holds only the move, so a retry never sends the fields twice.
  async sendEdit(entry) {
    let row = null;
    let { version } = entry;
    const body = patchBody(entry.fields);
    if (Object.keys(body).length) {
      row = await api.patch(`/api/tasks/${entry.taskId}/`, { ...body, version }, entry.opId);
      version = row.version;
      this.set(O.update(this.queue, entry.id, { fields: {}, version }));
      this.on.progress(entry, row);
    }
    if (entry.move) {
      const move = { sprint: entry.move.sprint, status: entry.move.status, version };
      try {
        row = await api.post(`/api/tasks/${entry.taskId}/move/`, move, api.newOpId());
      } catch (error) {
        // The caller's form learns that its fields went in (it rebuilds on that row).
        error.saved = row;
        throw error;
      }
    }
    return row;
  }

  // An event of the board carried the op id of one of our writes (O.echo).
  echo(opId, row) {
    const { queue, entry, settled } = O.echo(this.queue, opId, row);
    if (!entry) return;
    this.set(queue);
    if (settled) this.on.settled(entry, row);
  }

  // The user's Retry: what it meets is theirs to see at once (failed(entry, true)).
  retry(id = null) {
    this.userAsked = true;
    this.set(O.retry(this.queue, id));
    return this.flush();
  }

  discard(id = null) {
    this.set(O.discard(this.queue, id));
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}

// An anchor that is still a task of ours not yet created: the card goes to the column's end.
function realAnchors(body) {
  const out = { ...body };
  if (out.before != null && out.before < 0) delete out.before;
  if (out.after != null && out.after < 0) delete out.after;
  return out;
}
