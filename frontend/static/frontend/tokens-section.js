// The profile dialog's "Tokens" section: the caller's personal access tokens (name, prefix,
// scope, boards, last use, expiry), a form to create one, which shows the new token once
// with a copy button, and revoke with a confirmation (docs/integrations.md).

import { tokenRequest, tokenSummary } from './account.js';
import * as api from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { secretOnce } from './secret-once.js';
import { field, h, showErrors, toast } from './ui.js';

const EXPIRY_CHOICES = [
  ['', 'Never'],
  ['7', '7 days'],
  ['30', '30 days'],
  ['90', '90 days'],
  ['365', '1 year'],
];

function facts(summary) {
  const rows = [
    ['Scope', summary.scope],
    ['Boards', summary.boards],
    ['Last used', summary.lastUsed],
    ['Expires', summary.expires],
  ];
  return h(
    'dl',
    { class: 'token-facts' },
    rows.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value))),
  );
}

function tokenItem(token, boardNames, onRevoke) {
  const summary = tokenSummary(token, boardNames);
  const revoke = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small btn-danger',
      'aria-label': `Revoke token ${token.name}`,
      onclick: () => onRevoke(token, revoke),
    },
    'Revoke',
  );
  return h(
    'li',
    { class: summary.expired ? 'token-item token-expired' : 'token-item' },
    h(
      'div',
      { class: 'token-head' },
      h('strong', {}, summary.title),
      h('code', { class: 'token-prefix' }, summary.prefix),
      revoke,
    ),
    facts(summary),
  );
}

function boardChoices(boards) {
  if (!boards.length) return null;
  return h(
    'fieldset',
    { class: 'token-boards' },
    h('legend', {}, 'Limit to boards (none ticked: all your boards)'),
    boards.map((board) => {
      const box = h('input', {
        type: 'checkbox',
        name: 'boards',
        value: String(board.id),
        id: `token-board-${board.id}`,
      });
      return h('div', { class: 'check' }, box, h('label', { for: box.id }, board.name));
    }),
  );
}

function createForm(boards, { onCreated }) {
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const name = h('input', { name: 'name', maxlength: 100, required: true, autocomplete: 'off' });
  const scope = h(
    'select',
    { name: 'scope' },
    h('option', { value: 'read' }, 'Read only'),
    h('option', { value: 'write' }, 'Read and write'),
  );
  const expires = h(
    'select',
    { name: 'expires_in_days' },
    EXPIRY_CHOICES.map(([value, label]) => h('option', { value }, label)),
  );
  const choices = boardChoices(boards);
  const submit = h('button', { type: 'submit', class: 'btn' }, 'Create token');
  const inputs = { name, scope, expires_in_days: expires };
  const form = h(
    'form',
    {
      class: 'token-form',
      'aria-labelledby': 'token-form-title',
      onsubmit: async (event) => {
        event.preventDefault();
        showErrors(errors, inputs, null);
        const ticked = [...form.querySelectorAll('input[name="boards"]:checked')];
        const body = tokenRequest({
          name: name.value,
          scope: scope.value,
          boards: ticked.map((box) => box.value),
          expiresInDays: expires.value,
        });
        submit.disabled = true;
        try {
          const created = await api.post('/api/auth/tokens/', body);
          name.value = '';
          ticked.forEach((box) => (box.checked = false));
          onCreated(created);
        } catch (error) {
          showErrors(errors, inputs, error.body || { detail: error.message });
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h4', { id: 'token-form-title' }, 'New token'),
    errors,
    field('Name', name, 'What it is for, e.g. "CI pipeline".'),
    h('div', { class: 'row row-top' }, field('Scope', scope), field('Expires', expires)),
    choices,
    h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), submit),
  );
  return form;
}

export function tokensSection() {
  const list = h('ul', { class: 'token-list', 'aria-labelledby': 'tokens-title' });
  const empty = h('p', { class: 'muted' }, 'No tokens yet.');
  const fresh = h('div', { class: 'token-fresh' });
  const section = h(
    'section',
    { class: 'tokens-section', 'aria-labelledby': 'tokens-title' },
    h('h3', { id: 'tokens-title' }, 'Tokens'),
    h(
      'p',
      { class: 'hint' },
      'Personal access tokens let scripts and tools use the API as you: ',
      'send one as "Authorization: Bearer rs_pat_…".',
    ),
    fresh,
    list,
    empty,
  );
  let boardNames = new Map();

  async function reload() {
    const tokens = await api.get('/api/auth/tokens/');
    list.replaceChildren(...tokens.map((token) => tokenItem(token, boardNames, revoke)));
    empty.hidden = tokens.length > 0;
  }

  function revoke(token, button) {
    confirmDialog({
      title: `Revoke "${token.name}"?`,
      text: 'Anything using this token stops working at once, and its live connections close.',
      confirm: 'Revoke token',
      run: () => api.del(`/api/auth/tokens/${token.id}/`),
      done: () => {
        fresh.replaceChildren();
        toast({ title: 'Token revoked', kind: 'success' });
        reload().then(() => section.querySelector('#tokens-title').focus());
      },
      returnFocus: () => (button.isConnected ? button : null),
    });
  }

  function created(token) {
    const box = secretOnce({
      label: `Your new token "${token.name}"`,
      value: token.token,
      note: "Copy it now: you won't see it again.",
    });
    fresh.replaceChildren(box);
    reload();
    box.querySelector('input').focus();
  }

  (async () => {
    try {
      const boards = await api.getAll('/api/boards/');
      boardNames = new Map(boards.map((b) => [b.id, b.name]));
      section.append(createForm(boards, { onCreated: created }));
      await reload();
    } catch (error) {
      const body = error.body || { detail: error.message };
      section.append(h('p', { class: 'form-error', role: 'alert' }, body.detail || 'Failed.'));
    }
  })();
  section.querySelector('#tokens-title').tabIndex = -1;
  return section;
}
