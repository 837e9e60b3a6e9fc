// A confirmation for a destructive action: what will happen, a danger button, and (typed)
// a text the user must type first (a board's name before deleting it). `run()` does the
// request; its error shows in the dialog, which stays open; `done()` runs after it closes.

import { openModal } from './modal.js';
import { field, h, showErrors, toast } from './ui.js';

let count = 0;

export function confirmDialog({ title, text, confirm, run, done, typed, returnFocus }) {
  const n = ++count;
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const go = h('button', { type: 'submit', class: 'btn btn-danger-solid' }, confirm);
  const answer = typed
    ? h('input', { name: 'confirm', autocomplete: 'off', spellcheck: 'false' })
    : null;
  if (answer) {
    go.disabled = true;
    answer.addEventListener('input', () => {
      go.disabled = answer.value.trim() !== typed.value;
    });
  }
  const form = h(
    'form',
    {
      class: 'confirm-form',
      onsubmit: async (event) => {
        event.preventDefault();
        if (answer && answer.value.trim() !== typed.value) return;
        showErrors(errors, {}, null);
        go.disabled = true;
        try {
          await run();
          dialog.close();
          if (done) done();
        } catch (error) {
          showErrors(errors, {}, error.body);
          go.disabled = false;
        }
      },
    },
    h('h2', { id: `confirm-${n}-title` }, title),
    h('p', { id: `confirm-${n}-text`, class: 'confirm-text' }, text),
    errors,
    answer ? field(typed.label, answer) : null,
    h(
      'div',
      { class: 'dialog-actions' },
      h('span', { class: 'spacer' }),
      h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'),
      go,
    ),
  );
  const dialog = h(
    'dialog',
    {
      class: 'confirm-dialog',
      'aria-labelledby': `confirm-${n}-title`,
      'aria-describedby': `confirm-${n}-text`,
    },
    form,
  );
  openModal(dialog, returnFocus ? { returnFocus } : {});
  (answer || form.querySelector('button')).focus();
  return dialog;
}

// A request that takes us off this board (deleting it, leaving it): the page's socket stops
// first, since the server closes it (4403) at the change. Should the request fail, the page
// loads again from scratch (with a socket), or says the board is gone if it is.
export async function leaving(ctx, request) {
  ctx.stopLive();
  try {
    return await request();
  } catch (error) {
    document.querySelectorAll('dialog[open]').forEach((open) => open.close());
    toast({ title: 'That did not work', body: error.message, kind: 'error' });
    ctx.navigate(location.pathname + location.search);
    throw error;
  }
}
