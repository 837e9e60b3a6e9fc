// The task dialog's labels field: a group of toggle chips, one per label of the board. It
// stands in the form like any other control (task-fields.js): `value` is task-edit.js's
// string of sorted ids, `disabled` disables every toggle (a fieldset does that natively).
// A label id the chips do not offer (one created after the dialog opened) stays in the
// value, as a select keeps an option for a value it lacks: reading back never drops it.
// A label deleted while the dialog is open stays in the value too (the card lost it without
// a new version, so the form's base still has it: dropping it would be a change the user
// never made); it goes only with a toggle of the user's own, which sends the set anyway.

import { labelList } from './card-state.js';
import { paintChip } from './label-colors.js';
import { labelIds, labelsValue } from './task-edit.js';
import { h } from './ui.js';

export function labelPicker(labels) {
  let selected = new Set();
  let known = labels || {};
  const gone = new Set();
  const chips = h('div', { class: 'label-toggles' });
  const root = h(
    'fieldset',
    { class: 'label-picker', id: `f-labels-${Math.random().toString(36).slice(2, 9)}` },
    h('legend', {}, 'Labels'),
    chips,
  );

  let drawn = null;
  function draw() {
    const rows = labelList({ labels: known });
    // Every board change calls setLabels: chips are rebuilt only when the labels changed.
    const key = JSON.stringify(rows.map((l) => [l.id, l.name, l.color]));
    if (key === drawn) return;
    drawn = key;
    if (!rows.length) {
      chips.replaceChildren(h('p', { class: 'muted label-none' }, 'This board has no labels yet.'));
      return;
    }
    const focused = chips.contains(document.activeElement) && document.activeElement.value;
    chips.replaceChildren(...rows.map(toggle));
    const again = focused && chips.querySelector(`input[value="${focused}"]`);
    if (again) again.focus();
  }

  function toggle(label) {
    const box = h('input', {
      type: 'checkbox',
      value: String(label.id),
      checked: selected.has(label.id),
      onchange: () => {
        for (const id of gone) selected.delete(id);
        if (box.checked) selected.add(label.id);
        else selected.delete(label.id);
      },
    });
    return h(
      'label',
      { class: 'label-toggle' },
      box,
      paintChip(h('span', { class: 'label-chip' }, label.name), label.color),
    );
  }

  Object.defineProperty(root, 'value', {
    get: () => labelsValue([...selected]),
    set: (value) => {
      selected = new Set(labelIds(value));
      for (const box of chips.querySelectorAll('input'))
        box.checked = selected.has(Number(box.value));
    },
  });
  // The board's labels changed: new ones are offered, deleted ones no more.
  root.setLabels = (next) => {
    for (const id of Object.keys(known)) if (!(id in (next || {}))) gone.add(Number(id));
    known = next || {};
    draw();
  };
  root.focusFirst = () => {
    const first = chips.querySelector('input');
    (first || root).focus();
  };
  root.names = (value) =>
    labelIds(value)
      .map((id) => (known[id] ? known[id].name : null))
      .filter(Boolean);
  draw();
  return root;
}
