// The board page's writes (create, edit, move, delete, quick-add), all through the
// unsaved-change queue (outbox-runner.js): the board shows the user's change at once,
// marked "Not saved" while it waits, and the server's row replaces it when it answers. The
// page's own state stays the server's; `view(state)` lays the queue on top for drawing.

import * as O from './outbox.js';
import { outboxPanel } from './outbox-panel.js';
import { OutboxRunner } from './outbox-runner.js';
import * as S from './state.js';
import { announce, h, toast } from './ui.js';

// page: the BoardPage of board.js (state, status, update(), scheduleRender(), dialog,
// openDialog(), showMoveConflict())
export class BoardWrites {
  constructor(page) {
    this.page = page;
    this.runner = new OutboxRunner({
      changed: (queue) => {
        this.panel.render(queue);
        page.scheduleRender();
      },
      progress: (entry, row) => page.update(S.applyLocalTask(page.state, row)),
      settled: (entry, row) => this.settled(entry, row),
      failed: (entry, byUser) => this.failed(entry, byUser),
      live: () => page.status === 'live',
    });
    this.panel = outboxPanel({
      retry: (id) => this.runner.retry(id),
      discard: (id) => this.runner.discard(id),
      review: (entry) => this.review(entry),
    });
    this.observer = null;
    // A reload or a closed tab would lose what waits: the browser asks first.
    this.onUnload = (event) => {
      if (!this.runner.entries.length) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', this.onUnload);
  }

  view(state) {
    return O.overlay(state, this.runner.queue);
  }

  // Events of the board that are echoes of our own writes (their client_op_id).
  echo(events) {
    for (const event of events) {
      if (!event.client_op_id || !this.runner.entries.length) continue;
      const row = event.name === 'task.created' ? event.data : S.taskOfEvent(event);
      if (row || event.name === 'task.deleted') this.runner.echo(event.client_op_id, row);
    }
  }

  // The socket is live again: what waited goes now, in order.
  flush() {
    return this.runner.flush();
  }

  // Leaving the board drops what still waits: said, never silent.
  stop() {
    this.runner.stop();
    if (this.observer) this.observer.disconnect();
    window.removeEventListener('beforeunload', this.onUnload);
    const left = this.runner.entries.filter((e) => e.state !== 'sending');
    if (left.length) {
      const title = `${O.countText({ entries: left })} on “${this.page.state.board.name}”`;
      const body = `Discarded when you left the board: ${left.map(O.labelOf).join(', ')}.`;
      toast({ title, body, kind: 'error', timeout: 15000 });
    }
  }

  // -> what the runner answers; a change that has to wait is announced, not an error.
  async submit(change) {
    const result = await this.runner.submit(change);
    if (result.queued) {
      announce(
        `Not saved yet: ${O.labelOf(result.queued)}. It is sent when the connection is back.`,
      );
    }
    return result;
  }

  settled(entry, row) {
    const { page } = this;
    if (entry.kind === 'delete') page.update(S.applyLocalDelete(page.state, entry.taskId));
    else if (row) page.update(S.applyLocalTask(page.state, row));
    if (row && page.dialog && page.dialog.open) page.dialog.adopt(entry.taskId, row);
  }

  // A queued change the server refused: it stays in the panel with the reason. A refused
  // edit opens its conflict when the user's Retry met it; sent by itself (the socket came
  // back) it only says so, with "Review": a dialog should not jump at someone typing.
  failed(entry, byUser) {
    if (!entry) return;
    const { page } = this;
    const current = entry.error.body && entry.error.body.current;
    if (current && current.id) page.update(S.applyLocalTask(page.state, current));
    const conflict = entry.kind === 'edit' && entry.error.status === 409;
    const idle = !page.dialog || !page.dialog.open;
    if (conflict && byUser && idle) return this.review(entry);
    const review = (close) => {
      close();
      this.review(entry);
    };
    toast({
      title: `Not saved: ${O.labelOf(entry)}`,
      body: entry.error.message,
      kind: 'error',
      timeout: 10000,
      actions: conflict ? [{ label: 'Review', run: review }] : [],
    });
  }

  review(entry) {
    const { page } = this;
    if (!page.viewState().tasks[entry.taskId]) {
      toast({ title: `Not saved: ${O.labelOf(entry)}`, body: entry.error.message, kind: 'error' });
      return;
    }
    if (page.dialog && page.dialog.open) page.dialog.close();
    page.openDialog({ taskId: entry.taskId, queued: entry }, () => this.runner.discard(entry.id));
  }

  // A drag or Alt+Arrow: no version, "put it here" (the server orders concurrent moves).
  async move(taskId, body) {
    const { page } = this;
    const task = page.viewState().tasks[taskId];
    const name = task ? task.name : 'task';
    try {
      const result = await this.submit({ kind: 'move', taskId, body, name });
      const moved = result.saved;
      if (moved)
        announce(
          `Moved ${moved.name} to ${moved.sprint === null ? 'Backlog' : moved.status_display}`,
        );
    } catch (error) {
      if (error.status === 409) return page.showMoveConflict(error.body);
      const lines = Object.values(error.body || {})
        .flat()
        .join(' ');
      toast({ title: `Could not move “${name}”`, body: lines || error.message, kind: 'error' });
    }
  }

  // A create from the quick-add: the server's row, or the row the board shows while it waits;
  // a refusal goes back to the caller.
  async create(body) {
    const result = await this.submit({ kind: 'create', body, name: body.name });
    if (result.saved) return result.saved;
    return this.page.viewState().tasks[result.queued.taskId] || null;
  }

  // The cards of queued changes say so. The columns redraw their cards on their own (a drag
  // that ends, a filter), so the marks follow every change of the columns' DOM.
  watch(columnsRoot) {
    const mark = () => this.mark(columnsRoot);
    this.observer = new MutationObserver(mark);
    this.observer.observe(columnsRoot, { childList: true, subtree: true });
    mark();
  }

  mark(root) {
    const ids = O.unsavedIds(this.runner.queue);
    for (const card of root.querySelectorAll('.card')) {
      const unsaved = ids.has(Number(card.dataset.taskId));
      const badge = card.querySelector(':scope > .unsaved-badge');
      // Only the badge is a child change: the observer sees no class edits, so no loop.
      card.classList.toggle('unsaved', unsaved);
      if (unsaved && !badge) card.append(h('span', { class: 'unsaved-badge' }, 'Not saved'));
      else if (!unsaved && badge) badge.remove();
    }
  }
}
