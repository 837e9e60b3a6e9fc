// A read-only box with a secret shown once, a copy button and the warning: a new token
// (tokens-section.js), the calendar feed's URL (calendar-section.js) and a new webhook's
// signing secret (webhooks-panel.js).

import { field, h } from './ui.js';

export function secretOnce({ label, value, note }) {
  const input = h('input', { readonly: true, value, spellcheck: 'false', class: 'secret-value' });
  const copied = h('span', { class: 'muted', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      onclick: async () => {
        input.select();
        try {
          await navigator.clipboard.writeText(value);
          copied.textContent = 'Copied.';
        } catch {
          copied.textContent = 'Selected: press Ctrl+C (⌘C) to copy.';
        }
      },
    },
    'Copy',
  );
  return h(
    'div',
    { class: 'secret-once notice notice-ok' },
    field(label, input, note),
    h('div', { class: 'secret-actions' }, copy, copied),
  );
}
