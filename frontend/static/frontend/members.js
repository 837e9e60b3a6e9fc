// Inviting a member by username: used on the boards list and in the board's header.

import * as api from './api.js';
import { avatar, field, formError, h, toast } from './ui.js';

export function inviteForm(boardId, { onAdded } = {}) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const username = h('input', { name: 'username', required: true, autocomplete: 'off' });
  const role = h(
    'select',
    { name: 'role' },
    h('option', { value: 'member' }, 'Member (can edit)'),
    h('option', { value: 'viewer' }, 'Viewer (read only)'),
    h('option', { value: 'owner' }, 'Owner'),
  );
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Invite');
  return h(
    'form',
    {
      class: 'invite-form',
      onsubmit: async (event) => {
        event.preventDefault();
        errors.hidden = true;
        submit.disabled = true;
        try {
          const member = await api.post(`/api/boards/${boardId}/members/`, {
            username: username.value.trim(),
            role: role.value,
          });
          toast({ title: `${member.user.username} joined the board`, kind: 'success' });
          username.value = '';
          if (onAdded) onAdded(member);
        } catch (error) {
          formError(errors, error.body);
        } finally {
          submit.disabled = false;
        }
      },
    },
    errors,
    h('div', { class: 'row' }, field('Username', username), field('Role', role), submit),
  );
}

// The members popover: the list, and the invite form for a caller who may manage members.
// Rebuilt only when the list or that permission changes (an open form keeps its input).
export function membersWidget(boardId, { onAdded } = {}) {
  const box = h('details', { class: 'members-box' }, h('summary', { class: 'btn' }, 'Members'));
  let key = '';
  function render(state) {
    const next = JSON.stringify([state.can.manage, state.members.map((m) => [m.user.id, m.role])]);
    if (next === key) return;
    key = next;
    const list = h(
      'ul',
      { class: 'member-list' },
      state.members.map((m) =>
        h(
          'li',
          {},
          avatar(m.user.username, { size: 'sm' }),
          h('span', {}, m.user.full_name || m.user.username),
          h('span', { class: `role role-${m.role}` }, m.role),
        ),
      ),
    );
    const invite = state.can.manage ? inviteForm(boardId, { onAdded }) : null;
    box.replaceChildren(box.firstChild, h('div', { class: 'members-pop panel' }, list, invite));
  }
  return { root: box, render };
}
