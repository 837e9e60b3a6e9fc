// The live board page: snapshot, then the socket from the snapshot's seq; every change
// (events, our own REST responses) goes through state.js and re-renders. The DOM is
// board-view.js and columns.js, the socket board-socket.js, the writes (and their queue
// while the server is away) board-writes.js; this module holds the page's data.

import * as api from './api.js';
import * as auth from './auth.js';
import { boardSettingsWidget } from './board-settings.js';
import { boardSocket } from './board-socket.js';
import { createBoardView } from './board-view.js';
import { BoardWrites } from './board-writes.js';
import { cardSections } from './card-sections.js';
import { createColumns } from './columns.js';
import { FocusTracker } from './focus.js';
import { historyWidgets } from './history-widgets.js';
import { labelsWidget } from './labels-widget.js';
import { membersWidget } from './members.js';
import { planningWidgets } from './planning-widgets.js';
import { openSprintDialog } from './sprint-dialog.js';
import { sprintToolsWidget } from './sprint-tools.js';
import * as S from './state.js';
import { openTaskDialog } from './task-dialog.js';
import { announce, h, toast, todayIso } from './ui.js';

export async function renderBoard(main, { boardId, navigate, params }) {
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading the board…'));
  const page = new BoardPage(boardId, navigate);
  await page.loadSnapshot();
  page.mount(main, params);
  return () => page.unmount();
}

class BoardPage {
  constructor(boardId, navigate) {
    this.boardId = boardId;
    this.navigate = navigate;
    this.model = null;
    this.epoch = null;
    this.sprintId = null;
    this.presence = [];
    this.me = auth.currentUser();
    this.status = 'connecting';
    this.connection = { status: 'connecting' };
    this.loading = false;
    this.buffered = [];
    this.dialog = null;
    this.resumeAt = 0;
    this.renderQueued = false;
  }

  get state() {
    return this.model.state;
  }

  // The board as drawn: the server's state with the user's unsaved changes on top.
  viewState() {
    return this.writes ? this.writes.view(this.state) : this.state;
  }

  canWrite() {
    return this.state.can.write;
  }

  mount(main, params) {
    const wanted = Number(params.get('sprint'));
    this.sprintId = this.state.sprints[wanted]
      ? wanted
      : S.defaultSprintId(S.sprintList(this.state), todayIso());
    this.columns = createColumns({
      canWrite: () => this.canWrite(),
      onOpen: (taskId) => this.openTask(taskId),
      onAdd: (column) => this.openDialog({ column }),
      onMove: (taskId, body) => this.move(taskId, body),
      onQuickAdd: (column, name) => this.quickAdd(column, name),
      onFocusTask: (taskId) => this.focus.set(known(taskId), 'card'),
    });
    this.writes = new BoardWrites(this);
    // What the management widgets may do to the page: change its state through a pure
    // function, leave it, or stop its socket before a leave or delete of our own (whose
    // 4403 would otherwise read as lost access).
    const manage = {
      boardId: this.boardId,
      apply: (change) => this.update(change(this.state)),
      navigate: this.navigate,
      stopLive: () => this.socket.stop(),
      state: () => this.state,
      me: () => this.me,
      pickSprint: (id) => this.pickSprint(id),
    };
    this.view = createBoardView({
      columns: this.columns,
      widgets: [
        sprintToolsWidget(manage),
        ...planningWidgets(manage),
        membersWidget(manage),
        labelsWidget(manage),
      ],
      more: [...historyWidgets(manage), boardSettingsWidget(manage)],
      on: {
        pickSprint: (id) => this.pickSprint(id),
        newSprint: () => this.newSprint(),
        retryNow: () => this.socket.reconnectNow(),
      },
    });
    // The unsaved changes sit above the board, in the flow: they push it down rather than
    // cover a column's controls.
    main.replaceChildren(this.writes.panel.root, this.view.root);
    this.writes.watch(this.columns.root);
    this.socket = boardSocket(this, this.navigate);
    // focus {task, mode}: an open dialog edits when the user may write (focus.js).
    this.focus = new FocusTracker(
      (focus) => this.socket.send({ type: 'focus', ...focus }),
      () => this.canWrite(),
    );
    // Sockets outlive the access token they opened with: hand them each new one.
    this.unsubscribe = auth.onChange((token) => {
      if (token) this.socket.send({ type: 'auth.refresh', token });
    });
    this.socket.start();
    this.render();
    this.openLinkedTask(Number(params.get('task')));
  }

  unmount() {
    this.socket.stop();
    this.writes.stop();
    this.unsubscribe();
    this.focus.stop();
    if (this.dialog && this.dialog.open) this.dialog.close();
  }

  // --- rendering -----------------------------------------------------------------------

  scheduleRender() {
    if (this.renderQueued) return;
    this.renderQueued = true;
    setTimeout(() => {
      this.renderQueued = false;
      this.render();
    }, 0);
  }

  render() {
    if (!this.view) return;
    const state = this.state;
    if (this.sprintId != null && !state.sprints[this.sprintId]) {
      this.sprintId = S.defaultSprintId(S.sprintList(state), todayIso());
    }
    const shown = this.viewState();
    const people = S.presenceView(this.presence, shown.tasks, this.me && this.me.id);
    const { status, connection } = this;
    this.view.render({ state: shown, sprintId: this.sprintId, people, status, connection });
    this.writes.mark(this.columns.root);
    if (this.dialog && this.dialog.open) {
      this.dialog.stateChanged(shown);
      this.dialog.presenceChanged(this.presence);
    }
    // A write access gained or lost turns the open dialog's edit into a view, or back.
    if (this.focus) this.focus.refresh();
  }

  update(next) {
    this.model = { ...this.model, state: next };
    this.scheduleRender();
  }

  pickSprint(id) {
    this.sprintId = id;
    const url = new URL(location.href);
    if (id) url.searchParams.set('sprint', id);
    else url.searchParams.delete('sprint');
    history.replaceState(history.state, '', url);
    this.scheduleRender();
  }

  // --- server data ---------------------------------------------------------------------

  async loadSnapshot() {
    this.loading = true;
    try {
      const snap = await api.get(`/api/boards/${this.boardId}/snapshot/`);
      const me = this.me ? this.me.id : null;
      this.model = { state: S.fromSnapshot(snap, { me }), pending: [] };
      // Our seq counts events of this history: a reset log gets a new epoch (resync).
      this.epoch = snap.epoch;
    } finally {
      this.loading = false;
    }
    // Events that arrived while the snapshot loaded: the stale ones are dropped by seq.
    const waiting = this.buffered.splice(0);
    for (const frame of waiting) this.ingest(frame);
  }

  ingest(frame) {
    if (this.loading) return this.buffered.push(frame);
    const { model, gap, applied } = S.ingest(this.model, frame);
    this.model = model;
    if (this.writes) this.writes.echo(applied);
    if (this.view && applied.length) this.view.events(applied, this.state);
    this.showInDialog(applied);
    this.scheduleRender();
    if (gap) this.requestResume();
  }

  // An open dialog shows who changed its task while it is open.
  showInDialog(events) {
    if (!this.dialog || !this.dialog.open) return;
    for (const event of events) {
      const row = S.taskOfEvent(event);
      if (row) this.dialog.remoteEdit(row, event.actor);
    }
    if (events.length) this.dialog.events(events);
  }

  // A hole in seq: ask the server to replay from what we have (at most once a second; the
  // replay itself fills the buffer and drains it).
  requestResume() {
    if (Date.now() - this.resumeAt < 1000) return;
    this.resumeAt = Date.now();
    this.socket.send({ type: 'resume', since: this.state.seq });
  }

  // --- socket frames (board-socket.js) ---------------------------------------------------

  hello(frame) {
    this.me = frame.user;
    this.model = { ...this.model, state: S.applyHello(this.state, frame) };
    this.presence = frame.presence || [];
    this.focus.flush(true);
    this.scheduleRender();
  }

  // The server's head is ahead and nothing is waiting: the last event was lost.
  heartbeat(seq) {
    if (!this.loading && typeof seq === 'number' && seq > this.state.seq) this.requestResume();
  }

  resync() {
    this.loadSnapshot().then(
      () => this.scheduleRender(),
      () => this.socket.reconnectNow(),
    );
  }

  presenceChanged(users) {
    this.presence = users;
    this.scheduleRender();
  }

  // info: { retryAt, network } for the indicator's countdown (socket.js)
  statusChanged(status, info = {}) {
    this.status = status;
    this.connection = { status, ...info };
    if (status === 'live') this.writes.flush();
    if (status !== 'live')
      this.presence = this.presence.filter((p) => this.me && p.id === this.me.id);
    this.scheduleRender();
  }

  // --- the user's actions ----------------------------------------------------------------

  move(taskId, body) {
    return this.writes.move(taskId, body);
  }

  showMoveConflict(body) {
    const c = body.current || {};
    const who = c.assigned ? `, assigned to ${c.assigned}` : '';
    toast({
      title: 'Someone else changed this task',
      body: `${body.detail} Now: “${c.name}” in ${c.status_display}${who}.`,
      kind: 'error',
      timeout: 10000,
    });
    if (c.id) this.update(S.applyLocalTask(this.state, c));
  }

  // A card from a column's quick-add: just a name, at the end of that column. Errors go
  // back to the quick-add, which shows them where the user typed; while the server is away
  // the card waits in the queue (and the row the board shows for it is returned).
  quickAdd(column, name) {
    const body = { board: this.boardId, sprint: column.sprint, status: column.status, name };
    return this.writes.create(body);
  }

  newSprint() {
    openSprintDialog({
      boardId: this.boardId,
      onSaved: (sprint) => {
        this.update(S.applyLocalSprint(this.state, sprint));
        this.pickSprint(sprint.id);
      },
    });
  }

  openTask(taskId) {
    const task = this.viewState().tasks[taskId];
    if (!task) return;
    if (task.sprint !== null && task.sprint !== this.sprintId) this.pickSprint(task.sprint);
    this.openDialog({ taskId });
  }

  // onResolved: a reviewed queued edit (what.queued) was settled in the dialog.
  openDialog(what, onResolved = null) {
    this.dialog = openTaskDialog(
      {
        boardId: this.boardId,
        state: () => this.viewState(),
        sprintId: () => this.sprintId,
        canWrite: () => this.canWrite(),
        submit: (change) => this.writes.submit(change),
        onResolved,
        onSaved: (task) => {
          this.update(S.applyLocalTask(this.state, task));
          announce(`Saved ${task.name}`);
        },
        onDeleted: (id) => {
          this.update(S.applyLocalDelete(this.state, id));
          announce('Task deleted');
        },
        // The dialog reports only an existing card it opened on: it edits it (a reader's
        // dialog is sent as a view by the tracker, and the server checks again).
        onFocus: (id) => this.focus.set(known(id), 'dialog', true),
        presence: () => this.presence,
        me: () => this.state.me,
        sections: cardSections,
      },
      what,
    );
  }

  // ?task=<id> (the digest mail's links): open the card and point at it.
  openLinkedTask(taskId) {
    if (!taskId) return;
    if (!this.state.tasks[taskId]) {
      toast({ title: 'That task is no longer on this board', kind: 'info' });
      return;
    }
    this.openTask(taskId);
    this.columns.setHighlight(taskId);
    const card = this.columns.root.querySelector(`.card[data-task-id="${taskId}"]`);
    if (card) card.scrollIntoView({ block: 'center' });
  }
}

// A card not yet created (a negative id, see outbox.js) is nothing the others could know.
function known(taskId) {
  return taskId != null && taskId > 0 ? taskId : null;
}
