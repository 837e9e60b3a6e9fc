// My boards: the list, a form to create one, and inviting people to boards I may manage.
// The list stays live: `membership.*` frames from the personal socket (app.js dispatches
// them as 'rs:frame') add, update or drop a card; a (re)connected socket's hello reloads
// the list, since frames sent while it was away are not replayed.

import * as api from './api.js';
import * as auth from './auth.js';
import { exportButton, importPanel } from './board-transfer.js';
import { applyBoardsFrame, removalText } from './manage-state.js';
import { inviteForm } from './members.js';
import { accessOf } from './state.js';
import { announce, field, h, showErrors, toast } from './ui.js';

export async function renderBoards(main, { navigate }) {
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading your boards…'));
  let boards = await api.getAll('/api/boards/?page_size=100');
  const list = h('ul', { class: 'board-list', 'aria-label': 'Your boards' });
  const empty = h('p', { class: 'empty panel' }, 'No boards yet: create the first one below.');
  const cards = new Map(); // board id -> [board JSON, its <li>]

  function card(board) {
    const known = cards.get(board.id);
    if (known && known[0] === board) return known[1];
    const li = boardCard(board);
    cards.set(board.id, [board, li]);
    return li;
  }

  // Only cards that changed are replaced: an invite form open on another card keeps its text.
  function draw() {
    const wanted = boards.map(card);
    wanted.forEach((li, i) => {
      if (list.children[i] !== li) list.insertBefore(li, list.children[i] || null);
    });
    while (list.children.length > wanted.length) list.lastChild.remove();
    for (const id of cards.keys()) if (!boards.some((b) => b.id === id)) cards.delete(id);
    list.hidden = !boards.length;
    empty.hidden = boards.length > 0;
  }

  const page = h(
    'section',
    { class: 'boards-page' },
    h('h1', {}, 'Your boards'),
    list,
    empty,
    newBoardForm(navigate),
    importPanel(),
  );
  draw();
  main.replaceChildren(page);

  let fetching = null;
  let missed = [];
  async function reload() {
    fetching = api.getAll('/api/boards/?page_size=100');
    missed = [];
    try {
      boards = await fetching;
    } catch {
      return;
    } finally {
      fetching = null;
    }
    // A frame that came during the read may be newer than what it returned.
    for (const frame of missed.splice(0)) boards = applyBoardsFrame(boards, frame).boards;
    draw();
  }

  function onFrame(event) {
    if (!page.isConnected) return window.removeEventListener('rs:frame', onFrame);
    const frame = event.detail || {};
    if (frame.type === 'hello') return reload();
    if (fetching) missed.push(frame);
    const { boards: next, change } = applyBoardsFrame(boards, frame);
    if (!change) return;
    boards = next;
    draw();
    tell(change, navigate);
  }
  window.addEventListener('rs:frame', onFrame);
  return () => window.removeEventListener('rs:frame', onFrame);
}

function boardCard(board) {
  const link = h(
    'a',
    { href: `/boards/${board.id}/`, class: 'board-link', 'data-nav': true },
    board.name,
  );
  // The board JSON says what we may do there; the role is only shown.
  const invite = accessOf(board).manage
    ? h('details', { class: 'invite' }, h('summary', {}, 'Invite a member'), inviteForm(board.id))
    : null;
  return h(
    'li',
    { class: 'board-card panel', dataset: { boardId: board.id } },
    h('h2', {}, link),
    h('p', { class: 'muted' }, board.description || 'No description'),
    h(
      'p',
      { class: 'meta' },
      h('span', { class: `role role-${board.role}` }, board.role),
      ` · owner ${board.owner}`,
    ),
    h('p', { class: 'board-actions' }, exportButton(board)),
    invite,
  );
}

function tell(change, navigate) {
  const { kind, board, frame } = change;
  const me = auth.currentUser();
  if (kind === 'added' && me && board.owner === me.username && board.role === 'owner') {
    announce(`${board.name} added to your boards`); // created in another tab
  } else if (kind === 'added') {
    toast({
      title: `You were added to “${board.name}”`,
      body: `as ${board.role}`,
      kind: 'success',
      actions: [
        {
          label: 'Open',
          run: (close) => {
            close();
            navigate(`/boards/${board.id}/`);
          },
        },
      ],
    });
  } else if (kind === 'updated') {
    announce(`Your role on ${board.name} is now ${board.role}`);
  } else {
    const text = removalText(frame, me && me.id);
    if (text) toast({ title: text, kind: 'info' });
  }
}

function newBoardForm(navigate) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const inputs = {
    name: h('input', { name: 'name', required: true, maxlength: 100 }),
    description: h('input', { name: 'description' }),
  };
  return h(
    'form',
    {
      class: 'panel new-board',
      onsubmit: async (event) => {
        event.preventDefault();
        showErrors(errors, inputs, null);
        try {
          const board = await api.post('/api/boards/', {
            name: inputs.name.value.trim(),
            description: inputs.description.value,
          });
          navigate(`/boards/${board.id}/`);
        } catch (error) {
          showErrors(errors, inputs, error.body);
        }
      },
    },
    h('h2', {}, 'New board'),
    errors,
    h(
      'div',
      { class: 'row new-board-row' },
      field('Name', inputs.name),
      field('Description', inputs.description),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create board'),
    ),
  );
}
