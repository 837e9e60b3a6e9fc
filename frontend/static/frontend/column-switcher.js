// The phone's column picker: a phone shows one column at a time (app.css), and this select,
// with each column's count, says which; its "+" opens the full task dialog for that column
// (the column's own head is folded away on a phone). Wider screens hide it all.

import { h } from './ui.js';

// onPick(key); onAdd(key).
export function columnSwitcher(onPick, onAdd) {
  const select = h('select', { id: 'column-switcher', onchange: () => onPick(select.value) });
  const add = h(
    'button',
    { type: 'button', class: 'btn-icon add', onclick: () => onAdd(select.value) },
    '+',
  );
  const root = h(
    'div',
    { class: 'column-switcher' },
    h('label', { for: 'column-switcher', class: 'inline-label' }, 'Show column'),
    select,
    add,
  );
  let key = '';
  // items: [{ key, title, shown, total }]; filtering: counts read "shown of total".
  function render(items, current, { filtering, canWrite }) {
    const labels = items.map((c) =>
      filtering ? `${c.title} (${c.shown} of ${c.total})` : `${c.title} (${c.total})`,
    );
    const next = items.map((c) => c.key).join();
    // Counts change in place: rebuilding the options would close a picker the user has open.
    if (next !== key) {
      key = next;
      select.replaceChildren(...items.map((c) => h('option', { value: c.key })));
    }
    [...select.options].forEach((option, i) => {
      if (option.textContent !== labels[i]) option.textContent = labels[i];
    });
    select.value = current;
    const shown = items.find((c) => c.key === current);
    add.hidden = !canWrite || !shown;
    if (shown) add.setAttribute('aria-label', `Add a task to ${shown.title}`);
  }
  return { root, select, render };
}
