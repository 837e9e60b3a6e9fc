// My boards: the list, a form to create one, and inviting people to boards I may manage.

import * as api from './api.js';
import { inviteForm } from './members.js';
import { accessOf } from './state.js';
import { field, formError, h } from './ui.js';

export async function renderBoards(main, { navigate }) {
  main.replaceChildren(h('p', { class: 'loading' }, 'Loading your boards…'));
  const boards = await api.getAll('/api/boards/?page_size=100');
  const list = h('ul', { class: 'board-list', 'aria-label': 'Your boards' });

  function addCard(board) {
    const link = h(
      'a',
      { href: `/boards/${board.id}/`, class: 'board-link', 'data-nav': true },
      board.name,
    );
    // The board JSON says what we may do there; the role is only shown.
    const invite = accessOf(board).manage
      ? h('details', { class: 'invite' }, h('summary', {}, 'Invite a member'), inviteForm(board.id))
      : null;
    list.append(
      h(
        'li',
        { class: 'board-card panel', dataset: { boardId: board.id } },
        h('h3', {}, link),
        h('p', { class: 'muted' }, board.description || 'No description'),
        h(
          'p',
          { class: 'meta' },
          h('span', { class: `role role-${board.role}` }, board.role),
          ` · owner ${board.owner}`,
        ),
        invite,
      ),
    );
  }
  boards.forEach(addCard);

  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const name = h('input', { name: 'name', required: true, maxlength: 100 });
  const description = h('input', { name: 'description' });
  const form = h(
    'form',
    {
      class: 'panel new-board',
      onsubmit: async (event) => {
        event.preventDefault();
        errors.hidden = true;
        try {
          const board = await api.post('/api/boards/', {
            name: name.value.trim(),
            description: description.value,
          });
          navigate(`/boards/${board.id}/`);
        } catch (error) {
          formError(errors, error.body);
        }
      },
    },
    h('h2', {}, 'New board'),
    errors,
    h(
      'div',
      { class: 'row' },
      field('Name', name),
      field('Description', description),
      h('button', { type: 'submit', class: 'btn btn-primary' }, 'Create board'),
    ),
  );

  main.replaceChildren(
    h(
      'section',
      { class: 'boards-page' },
      h('h1', {}, 'Your boards'),
      boards.length
        ? list
        : h('p', { class: 'empty panel' }, 'No boards yet: create the first one below.'),
      form,
    ),
  );
}
