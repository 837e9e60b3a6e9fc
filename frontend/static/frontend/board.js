// The live board page: snapshot, then the socket from the snapshot's seq; every change
// (events, our own REST responses) goes through state.js and re-renders.

import * as api from './api.js';
import * as auth from './auth.js';
import { createColumns } from './columns.js';
import { inviteForm } from './members.js';
import { CLOSE_AUTH, CLOSE_FORBIDDEN, LiveSocket, socketUrl } from './socket.js';
import { openSprintDialog } from './sprint-dialog.js';
import * as S from './state.js';
import { openTaskDialog } from './task-dialog.js';
import { showNotification } from './notify.js';
import { announce, avatar, h, toast, todayIso } from './ui.js';

const STATUS_TEXT = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' };

export async function renderBoard(main, { boardId, navigate, params }) {
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading the board…'));
  const ctx = {
    model: null,
    epoch: null,
    sprintId: null,
    presence: [],
    me: auth.currentUser(),
    role: null,
    status: 'connecting',
    loading: false,
    buffered: [],
    focus: null,
    sentFocus: undefined,
    dialog: null,
    resumeAt: 0,
  };
  const state = () => ctx.model.state;
  const canWrite = () => ['owner', 'member'].includes(ctx.role || state().board.role);

  await loadSnapshot();
  ctx.role = state().board.role;
  const wanted = Number(params.get('sprint'));
  ctx.sprintId = state().sprints[wanted] ? wanted : S.defaultSprintId(S.sprintList(state()), todayIso());

  // --- layout --------------------------------------------------------------------------
  const title = h('h1', { class: 'board-title' });
  const sprintSelect = h('select', { id: 'sprint-picker', onchange: () => pickSprint(Number(sprintSelect.value) || null) });
  const indicator = h('span', { class: 'conn', role: 'status', 'aria-live': 'polite' });
  const presenceList = h('ul', { class: 'presence', 'aria-label': 'Who is here' });
  const sprintInfo = h('p', { class: 'sprint-info muted' });
  const membersBox = h('details', { class: 'members-box' }, h('summary', { class: 'btn' }, 'Members'));
  const columns = createColumns({
    canWrite,
    onOpen: (taskId) => openTask(taskId),
    onAdd: (column) => { ctx.dialog = openTaskDialog(dialogCtx, { column }); },
    onMove: move,
    onFocusTask: (taskId) => setFocus(taskId, 'card'),
  });

  main.replaceChildren(
    h(
      'section',
      { class: 'board-page' },
      h(
        'div',
        { class: 'board-head' },
        h('div', { class: 'board-head-main' },
          h('a', { href: '/', class: 'back', 'data-nav': true }, '← All boards'),
          title,
          sprintInfo),
        h('div', { class: 'board-tools' },
          h('label', { for: 'sprint-picker', class: 'inline-label' }, 'Sprint'),
          sprintSelect,
          h('button', { type: 'button', class: 'btn', id: 'new-sprint', hidden: !canWrite(),
            onclick: () => openSprintDialog({ boardId, onSaved: (sp) => { update(S.applyLocalSprint(state(), sp)); pickSprint(sp.id); } }) }, '+ New sprint'),
          membersBox,
          presenceList,
          indicator),
      ),
      h('p', { id: 'move-help', class: 'sr-only' }, 'Alt plus arrow keys move the card between and within columns.'),
      h('p', { class: 'help muted', 'aria-hidden': 'true' }, 'Drag cards to move them, or focus a card and press Alt + ← → ↑ ↓.'),
      columns.root,
    ),
  );

  const dialogCtx = {
    boardId,
    state,
    sprintId: () => ctx.sprintId,
    canWrite,
    onSaved: (task) => { update(S.applyLocalTask(state(), task)); announce(`Saved ${task.name}`); },
    onDeleted: (id) => { update(S.applyLocalDelete(state(), id)); announce('Task deleted'); },
    onFocus: (id) => setFocus(id, 'dialog'),
  };

  // --- rendering -----------------------------------------------------------------------
  let renderQueued = false;
  function scheduleRender() {
    if (renderQueued) return;
    renderQueued = true;
    setTimeout(() => {
      renderQueued = false;
      render();
    }, 0);
  }

  function render() {
    const s = state();
    title.textContent = s.board.name;
    document.title = `${s.board.name} · Realtime Scrum`;
    const sprints = S.sprintList(s);
    if (ctx.sprintId != null && !s.sprints[ctx.sprintId]) ctx.sprintId = S.defaultSprintId(sprints, todayIso());
    sprintSelect.replaceChildren(
      ...(sprints.length ? [] : [h('option', { value: '' }, 'No sprints yet')]),
      ...sprints.map((sp) => h('option', { value: sp.id }, `${sp.name || 'Untitled sprint'} · ends ${sp.end}`)),
    );
    sprintSelect.value = ctx.sprintId == null ? '' : String(ctx.sprintId);
    const sprint = s.sprints[ctx.sprintId];
    sprintInfo.textContent = sprint ? sprint.description || `Ends ${sprint.end}` : s.board.description || '';
    renderMembers();
    const people = S.presenceView(ctx.presence, s.tasks, ctx.me && ctx.me.id);
    presenceList.replaceChildren(
      ...people.map((p) =>
        h(
          'li',
          { class: `presence-user${p.me ? ' me' : ''}`, dataset: { username: p.username } },
          avatar(p.username),
          h('span', { class: 'presence-name' }, p.me ? `${p.username} (you)` : p.username),
          p.task && !p.me ? h('span', { class: 'presence-focus' }, `viewing “${p.task.name}”`) : null,
        ),
      ),
    );
    indicator.className = `conn conn-${ctx.status}`;
    indicator.dataset.status = ctx.status;
    indicator.textContent = STATUS_TEXT[ctx.status];
    columns.render(s, ctx.sprintId, people);
    if (ctx.dialog && ctx.dialog.open) ctx.dialog.stateChanged(s);
  }

  let membersKey = '';
  function renderMembers() {
    const key = JSON.stringify(state().members.map((m) => [m.user.id, m.role]));
    if (key === membersKey) return;
    membersKey = key;
    const list = h('ul', { class: 'member-list' },
      state().members.map((m) => h('li', {}, avatar(m.user.username, { size: 'sm' }), h('span', {}, m.user.full_name || m.user.username), h('span', { class: `role role-${m.role}` }, m.role))));
    const invite = ctx.role === 'owner'
      ? inviteForm(boardId, { onAdded: (m) => update(S.applyLocalMember(state(), m)) })
      : null;
    membersBox.replaceChildren(membersBox.firstChild, h('div', { class: 'members-pop panel' }, list, invite));
  }

  function update(next) {
    ctx.model = { ...ctx.model, state: next };
    scheduleRender();
  }

  function pickSprint(id) {
    ctx.sprintId = id;
    const url = new URL(location.href);
    if (id) url.searchParams.set('sprint', id);
    else url.searchParams.delete('sprint');
    history.replaceState(history.state, '', url);
    scheduleRender();
  }

  // --- server data ---------------------------------------------------------------------
  async function loadSnapshot() {
    ctx.loading = true;
    try {
      const snap = await api.get(`/api/boards/${boardId}/snapshot/`);
      ctx.model = { state: S.fromSnapshot(snap), pending: [] };
      // Our seq counts events of this history: a reset log gets a new epoch (resync).
      ctx.epoch = snap.epoch;
    } finally {
      ctx.loading = false;
    }
    // Events that arrived while the snapshot loaded: the stale ones are dropped by seq.
    const waiting = ctx.buffered.splice(0);
    for (const frame of waiting) ingest(frame);
  }

  function ingest(frame) {
    if (ctx.loading) return ctx.buffered.push(frame);
    const { model, gap } = S.ingest(ctx.model, frame);
    ctx.model = model;
    scheduleRender();
    if (gap) requestResume();
  }

  // A hole in seq: ask the server to replay from what we have (at most once a second; the
  // replay itself fills the buffer and drains it).
  function requestResume() {
    if (Date.now() - ctx.resumeAt < 1000) return;
    ctx.resumeAt = Date.now();
    socket.send({ type: 'resume', since: state().seq });
  }

  async function move(taskId, body) {
    const task = state().tasks[taskId];
    try {
      // No version: a drag means "put it here" whatever text edits happened meanwhile, and
      // the server orders concurrent moves; every screen converges through the events.
      const moved = await api.post(`/api/tasks/${taskId}/move/`, body);
      update(S.applyLocalTask(state(), moved));
      announce(`Moved ${moved.name} to ${moved.sprint === null ? 'Backlog' : moved.status_display}`);
    } catch (error) {
      if (error.status === 409) {
        showMoveConflict(error.body);
      } else {
        const lines = Object.values(error.body || {}).flat().join(' ');
        toast({ title: `Could not move “${task ? task.name : 'task'}”`, body: lines || error.message, kind: 'error' });
      }
    }
  }

  function showMoveConflict(body) {
    const c = body.current || {};
    toast({ title: 'Someone else changed this task', body: `${body.detail} Now: “${c.name}” in ${c.status_display}${c.assigned ? `, assigned to ${c.assigned}` : ''}.`, kind: 'error', timeout: 10000 });
    if (c.id) update(S.applyLocalTask(state(), c));
  }

  function openTask(taskId) {
    const task = state().tasks[taskId];
    if (!task) return;
    if (task.sprint !== null && task.sprint !== ctx.sprintId) pickSprint(task.sprint);
    ctx.dialog = openTaskDialog(dialogCtx, { taskId });
  }

  // --- presence focus ------------------------------------------------------------------
  const focusBy = { card: null, dialog: null };
  let focusTimer = null;
  function setFocus(taskId, source) {
    focusBy[source] = taskId;
    ctx.focus = focusBy.dialog ?? focusBy.card;
    // Tabbing across cards fires a burst of focus changes; send only where it settles.
    clearTimeout(focusTimer);
    focusTimer = setTimeout(sendFocus, 120);
  }
  function sendFocus(force = false) {
    if (!force && ctx.sentFocus === ctx.focus) return;
    if (socket.send({ type: 'focus', task: ctx.focus })) ctx.sentFocus = ctx.focus;
  }

  // --- socket --------------------------------------------------------------------------
  const socket = new LiveSocket({
    url: () => {
      const token = auth.accessToken();
      const query = { token, since: state().seq, epoch: ctx.epoch };
      return token ? socketUrl(`/ws/boards/${boardId}/`, query) : null;
    },
    onStatus: (status) => {
      ctx.status = status;
      if (status !== 'live') ctx.presence = ctx.presence.filter((p) => ctx.me && p.id === ctx.me.id);
      scheduleRender();
    },
    onFrame: (frame) => {
      switch (frame.type) {
        case 'hello':
          ctx.me = frame.user;
          ctx.role = frame.role;
          ctx.presence = frame.presence || [];
          sendFocus(true);
          scheduleRender();
          break;
        case 'event':
          ingest(frame);
          break;
        case 'heartbeat':
          // The server's head is ahead and nothing is waiting: the last event was lost.
          if (!ctx.loading && typeof frame.seq === 'number' && frame.seq > state().seq) requestResume();
          break;
        case 'resync_required':
          loadSnapshot().then(scheduleRender, () => socket.reconnectNow());
          break;
        case 'presence':
          ctx.presence = frame.users || [];
          scheduleRender();
          break;
        case 'notification':
          showNotification(frame);
          break;
        case 'error':
          console.warn('socket error frame', frame.code, frame.detail);
          break;
        default:
      }
    },
    onClose: async (code) => {
      if (code === CLOSE_AUTH) {
        if (await auth.refresh()) return 'retry';
        navigate('/');
        return 'stop';
      }
      if (code === CLOSE_FORBIDDEN) {
        toast({ title: 'You no longer have access to this board', kind: 'error' });
        navigate('/');
        return 'stop';
      }
      return 'retry';
    },
  });
  // Sockets outlive the access token they opened with: hand them each new one.
  const unsubscribe = auth.onChange((token) => {
    if (token) socket.send({ type: 'auth.refresh', token });
  });
  socket.start();
  render();

  const focusTask = Number(params.get('task'));
  if (focusTask && state().tasks[focusTask]) {
    openTask(focusTask);
    columns.setHighlight(focusTask);
    const card = columns.root.querySelector(`.card[data-task-id="${focusTask}"]`);
    if (card) card.scrollIntoView({ block: 'center' });
  } else if (focusTask) {
    toast({ title: 'That task is no longer on this board', kind: 'info' });
  }

  return () => {
    socket.stop();
    unsubscribe();
    clearTimeout(focusTimer);
    if (ctx.dialog && ctx.dialog.open) ctx.dialog.close();
  };
}
