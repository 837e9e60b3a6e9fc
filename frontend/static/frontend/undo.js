// "Undo" on the toast of my own last change: a save, a move or a delete of a card, as its
// event comes back (whether it came from this tab, another of mine, or the unsaved-changes
// queue). Only the last one is offered: a newer change replaces the toast, since undoing an
// older one under a newer would surprise. Ctrl/Cmd+Z outside fields does the same while the
// toast is up. The server refuses (409) when the card changed since; the toast says how.

import * as api from './api.js';
import * as H from './history-state.js';
import { applyLocalTask } from './state.js';
import { announce, errorLines, toast } from './ui.js';

const SHOWN_MS = 10000;
const FIELDS = 'input, textarea, select, [contenteditable=""], [contenteditable="true"]';

// ctx: board.js's widget context; anchor: an element of the page, to know when it is gone.
export class UndoOffers {
  constructor(ctx, anchor) {
    this.ctx = ctx;
    this.anchor = anchor;
    this.offer = null;
    this.el = null;
    this.busy = false;
    this.names = new Map(); // task id -> last known name (a delete's event carries none)
    this.onKey = (event) => this.key(event);
    document.addEventListener('keydown', this.onKey);
  }

  remember(state) {
    for (const task of Object.values(state.tasks)) this.names.set(task.id, task.name);
  }

  nameOf(taskId) {
    return this.names.get(taskId) || null;
  }

  events(applied, state) {
    const me = this.ctx.me();
    const meId = me ? me.id : null;
    for (const event of applied) {
      if (H.revertsOffer(event, this.offer)) this.dismiss();
      const offer = H.undoOffer(event, meId, (id) => this.nameOf(id), state.sprints);
      if (offer) this.show(offer);
    }
    this.remember(state);
  }

  show(offer) {
    this.dismiss();
    this.offer = offer;
    this.el = toast({
      title: offer.title,
      kind: 'success',
      timeout: SHOWN_MS,
      actions: [{ label: 'Undo', run: (close) => this.undo(offer, close) }],
    });
    this.el.classList.add('toast-undo');
    this.el.dataset.seq = String(offer.seq);
  }

  dismiss() {
    if (this.el) this.el.remove();
    this.el = null;
    this.offer = null;
  }

  async undo(offer, close) {
    if (this.busy) return;
    this.busy = true;
    const button = this.el && this.el.querySelector('.toast-actions .btn');
    if (button) button.disabled = true;
    try {
      const body = await api.post(
        `/api/boards/${this.ctx.boardId}/events/${offer.seq}/revert/`,
        {},
      );
      close();
      if (this.offer === offer) this.offer = null;
      const task = taskIn(body);
      if (task) this.ctx.apply((s) => applyLocalTask(s, task));
      toast({ title: `Undone: ${offer.title}`, kind: 'success' });
      announce(`Undone: ${offer.title}`);
    } catch (error) {
      close();
      this.refused(error);
    } finally {
      this.busy = false;
    }
  }

  refused(error) {
    const body = error.body || {};
    if (error.status === 409) {
      toast({
        title: 'Could not undo',
        body: H.conflictText(body),
        kind: 'error',
        timeout: SHOWN_MS,
      });
      // Only a card still on the board is brought up to date: `current` may describe one in
      // the trash, which must not reappear.
      const current = body.current;
      if (current && current.id != null && this.ctx.state().tasks[current.id]) {
        this.ctx.apply((s) => applyLocalTask(s, current));
      }
      return;
    }
    toast({
      title: 'Could not undo',
      body: errorLines(body).join(' '),
      kind: 'error',
      timeout: SHOWN_MS,
    });
  }

  key(event) {
    if (!this.anchor.isConnected) {
      document.removeEventListener('keydown', this.onKey);
      return;
    }
    const z = event.key === 'z' || event.key === 'Z';
    if (!z || !(event.ctrlKey || event.metaKey) || event.shiftKey || event.altKey) return;
    const target = event.target;
    if (target && target.closest && target.closest(FIELDS)) return;
    if (document.querySelector('dialog[open]')) return;
    if (!this.offer || !this.el || !this.el.isConnected) return;
    event.preventDefault();
    const el = this.el;
    this.undo(this.offer, () => el.remove());
  }
}

// The revert's answer may be the task as it is now (or wrap it): drawn at once if so; the
// event that follows is harmless (a row is never replaced by an older version).
function taskIn(body) {
  const task = body && body.task && typeof body.task === 'object' ? body.task : body;
  const ok =
    task && task.id != null && task.version != null && 'status' in task && 'sprint' in task;
  return ok ? task : null;
}
