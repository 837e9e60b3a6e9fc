// Inviting a member by username: used on the boards list and in the board's header.

import * as api from './api.js';
import { field, formError, h, toast } from './ui.js';

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
