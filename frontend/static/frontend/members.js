// Members: inviting someone (the boards list and the board's popover), and in the popover
// the member list with what the API lets the caller do to each row: owners change roles and
// remove members, anyone but the board's creator may leave (manage-state.js memberActions).

import * as api from './api.js';
import { confirmDialog, leaving } from './confirm-dialog.js';
import { memberActions, ROLES, withoutMember } from './manage-state.js';
import { applyLocalMember as withMember } from './state.js';
import { userSearch } from './user-search.js';
import { announce, avatar, field, h, showErrors, toast } from './ui.js';

export function inviteForm(boardId, { onAdded } = {}) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const who = userSearch(boardId);
  const role = h(
    'select',
    { name: 'role' },
    ['member', 'viewer', 'owner'].map((value) =>
      h('option', { value }, ROLES.find((r) => r.value === value).label),
    ),
  );
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Invite');
  return h(
    'form',
    {
      class: 'invite-form',
      onsubmit: async (event) => {
        event.preventDefault();
        showErrors(errors, { username: who.input, role }, null);
        submit.disabled = true;
        try {
          const member = await api.post(`/api/boards/${boardId}/members/`, {
            username: who.input.value.trim(),
            role: role.value,
          });
          const name = member.user.full_name || member.user.username;
          toast({ title: `${name} joined the board`, kind: 'success' });
          who.reset();
          if (onAdded) onAdded(member);
        } catch (error) {
          showErrors(errors, { username: who.input, role }, error.body);
        } finally {
          submit.disabled = false;
        }
      },
    },
    errors,
    h('div', { class: 'row invite-row' }, who.root, field('Role', role), submit),
  );
}

// ctx: { boardId, apply(change), navigate(path), stopLive() } from board.js: `apply` hands
// the page's state to a pure change (manage-state.js / state.js) and draws the result.
export function membersWidget(ctx) {
  const popover = new MembersPopover(ctx);
  return { root: popover.box, render: (state) => popover.render(state) };
}

// Rebuilt only when the list or what the caller may do changes (an open form keeps its input).
class MembersPopover {
  constructor(ctx) {
    this.ctx = ctx;
    this.box = h('details', { class: 'members-box' }, h('summary', { class: 'btn' }, 'Members'));
    this.status = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.key = '';
    this.state = null;
  }

  render(state) {
    this.state = state;
    const next = JSON.stringify([
      state.can.manage,
      state.me,
      state.board.owner,
      state.members.map((m) => [m.user.id, m.role, m.user.full_name]),
    ]);
    if (next === this.key) return;
    this.key = next;
    const active = document.activeElement;
    const focused = this.box.contains(active) && active.dataset.focusKey;
    // In joining order, as the server lists them (an event moves a row to the end).
    const members = [...state.members].sort((a, b) =>
      String(a.joined_at).localeCompare(String(b.joined_at)),
    );
    const list = h(
      'ul',
      { class: 'member-list' },
      members.map((m) => this.row(m)),
    );
    const invite = state.can.manage
      ? inviteForm(this.ctx.boardId, { onAdded: (m) => this.ctx.apply((s) => withMember(s, m)) })
      : null;
    const pop = h('div', { class: 'members-pop panel' }, this.status, list, invite);
    this.box.replaceChildren(this.box.firstChild, pop);
    // A row redrawn under the user's hands (their change's own event) keeps the focus.
    const again = focused && this.box.querySelector(`[data-focus-key="${focused}"]`);
    if (again) again.focus();
  }

  row(member) {
    const can = memberActions(this.state, member);
    const name = member.user.full_name || member.user.username;
    const creator = member.user.username === this.state.board.owner;
    return h(
      'li',
      { class: 'member-row', dataset: { userId: member.user.id } },
      avatar(member.user.username, { size: 'sm' }),
      h(
        'span',
        { class: 'member-name' },
        name,
        creator ? h('span', { class: 'muted member-note' }, ' · created the board') : null,
      ),
      can.changeRole
        ? this.roleSelect(member, name)
        : h('span', { class: `role role-${member.role}` }, member.role),
      can.remove ? this.removeButton(member, name) : null,
      can.leave ? this.leaveButton() : null,
    );
  }

  roleSelect(member, name) {
    const select = h(
      'select',
      {
        class: 'member-role',
        'aria-label': `Role of ${name}`,
        dataset: { focusKey: `role-${member.user.id}` },
        onchange: () => this.changeRole(member, name, select),
      },
      ROLES.map((r) => h('option', { value: r.value }, r.label.replace(/ \(.*\)$/, ''))),
    );
    select.value = member.role;
    return select;
  }

  async changeRole(member, name, select) {
    showErrors(this.status, {}, null);
    select.disabled = true;
    try {
      const url = `/api/boards/${this.ctx.boardId}/members/${member.user.id}/`;
      const saved = await api.patch(url, { role: select.value });
      this.ctx.apply((s) => withMember(s, saved));
      announce(`${name} is now ${saved.role}`);
    } catch (error) {
      select.value = member.role;
      showErrors(this.status, {}, error.body);
    } finally {
      select.disabled = false;
    }
  }

  removeButton(member, name) {
    const board = this.state.board.name;
    const ask = () =>
      confirmDialog({
        title: `Remove ${name}?`,
        text: `${name} loses access to “${board}” at once; their cards become unassigned.`,
        confirm: 'Remove',
        run: () => api.del(`/api/boards/${this.ctx.boardId}/members/${member.user.id}/`),
        done: () => {
          this.ctx.apply((s) => withoutMember(s, member.user.id));
          toast({ title: `${name} was removed from the board`, kind: 'success' });
        },
        returnFocus: () => this.box.querySelector('summary'),
      });
    const attrs = { 'aria-label': `Remove ${name}`, focusKey: `remove-${member.user.id}` };
    return dangerButton('Remove', attrs, ask);
  }

  leaveButton() {
    const { board, me } = this.state;
    const ask = () =>
      confirmDialog({
        title: `Leave “${board.name}”?`,
        text: 'You lose access to this board; an owner can invite you again.',
        confirm: 'Leave board',
        run: () =>
          leaving(this.ctx, () => api.del(`/api/boards/${this.ctx.boardId}/members/${me}/`)),
        done: () => {
          toast({ title: `You left “${board.name}”`, kind: 'success' });
          this.ctx.navigate('/');
        },
      });
    return dangerButton('Leave board', { focusKey: 'leave' }, ask);
  }
}

function dangerButton(text, { focusKey, ...attrs }, onclick) {
  const props = { type: 'button', class: 'btn btn-small btn-danger', onclick, ...attrs };
  return h('button', { ...props, dataset: { focusKey } }, text);
}
