// The board's unsaved changes where the user sees them: how many, each one named with what
// holds it up, Retry and Discard for each and for all. Above the board (it folds to its
// title line); hidden while nothing is unsaved.

import * as O from './outbox.js';
import { h } from './ui.js';

const WAITING_NOTE = 'Kept on this page and sent when the connection is back.';
const REFUSED_NOTE = 'The server refused these: review, retry or discard them.';

// on: { retry(id|null), discard(id|null), review(entry) (a refused edit: its conflict) }
export function outboxPanel(on) {
  const title = h('h2', { id: 'outbox-title', class: 'outbox-title', tabindex: '-1' });
  const body = h('div', { id: 'outbox-body', class: 'outbox-body' });
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small outbox-toggle',
      'aria-expanded': 'true',
      'aria-controls': 'outbox-body',
      onclick: () => fold(toggle.getAttribute('aria-expanded') === 'true'),
    },
    'Hide',
  );
  const fold = (folded) => {
    body.hidden = folded;
    toggle.setAttribute('aria-expanded', String(!folded));
    toggle.textContent = folded ? 'Show' : 'Hide';
  };
  const root = h(
    'section',
    { class: 'outbox', 'aria-labelledby': 'outbox-title', hidden: true },
    h('div', { class: 'outbox-head' }, title, toggle),
    body,
  );

  function render(queue) {
    const active = document.activeElement;
    const inside = root.contains(active);
    const was = inside ? { ...active.dataset } : {};
    const waiting = queue.entries.some((e) => e.state !== 'failed');
    root.hidden = queue.entries.length === 0;
    title.textContent = O.countText(queue);
    body.replaceChildren(
      h('p', { class: 'outbox-note' }, waiting ? WAITING_NOTE : REFUSED_NOTE),
      h(
        'ol',
        { class: 'outbox-list' },
        queue.entries.map((entry) => item(entry, on)),
      ),
      allButtons(on),
    );
    // A keyboard user keeps their place: the same button again, else the panel's title, else
    // the page (the panel is gone).
    if (!inside || root.contains(document.activeElement)) return;
    const again = body.querySelector(`[data-entry="${was.entry}"][data-action="${was.action}"]`);
    if (again && !again.disabled) again.focus();
    else if (!root.hidden) title.focus();
    else document.getElementById('main')?.focus();
  }

  return { root, render };
}

function allButtons(on) {
  const button = (text, action, run) =>
    h(
      'button',
      { type: 'button', class: 'btn btn-small', dataset: { entry: 'all', action }, onclick: run },
      text,
    );
  return h(
    'div',
    { class: 'outbox-actions' },
    button('Retry all', 'retry', () => on.retry(null)),
    button('Discard all', 'discard', () => on.discard(null)),
  );
}

function item(entry, on) {
  const label = O.labelOf(entry);
  const button = (text, action, run) =>
    h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        'aria-label': `${text}: ${label}`,
        dataset: { entry: String(entry.id), action },
        disabled: entry.state === 'sending',
        onclick: run,
      },
      text,
    );
  const failed = entry.state === 'failed';
  const conflict = failed && entry.kind === 'edit' && entry.error.status === 409;
  return h(
    'li',
    { class: `outbox-item outbox-${entry.state}`, dataset: { entry: String(entry.id) } },
    h('span', { class: 'outbox-label' }, label),
    h('span', { class: 'outbox-state' }, O.stateText(entry)),
    h(
      'span',
      { class: 'outbox-buttons' },
      conflict ? button('Review', 'review', () => on.review(entry)) : null,
      button('Retry', 'retry', () => on.retry(entry.id)),
      button('Discard', 'discard', () => on.discard(entry.id)),
    ),
  );
}
