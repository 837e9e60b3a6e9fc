// The filter bar's labels: a "Labels" button opening a group of checkboxes, one per label of
// the board; the cards shown carry every checked one (state.js taskFilter, ?label= in the
// URL). A label in the URL the board no longer has stays offered, checked, so it can be
// taken off (it would otherwise hide every card with no visible reason).

import { labelList } from './card-state.js';
import { paintChip } from './label-colors.js';
import { h } from './ui.js';

// onChange() runs on every tick; value() the checked ids.
export function labelFilter(onChange) {
  const count = h('span', { class: 'label-filter-count', 'aria-hidden': 'true' });
  const spoken = h('span', { class: 'sr-only' });
  const summary = h('summary', { class: 'btn btn-small' }, 'Labels', count, spoken);
  const group = h('fieldset', { class: 'label-filter-pop panel' });
  const root = h('details', { class: 'label-filter', hidden: true }, summary, group);
  let key = '';

  const boxes = () => [...group.querySelectorAll('input[type=checkbox]')];

  function option(label, checked) {
    const box = h('input', {
      type: 'checkbox',
      value: String(label.id),
      checked,
      onchange: () => onChange(),
    });
    const chip = label.color
      ? paintChip(h('span', { class: 'label-chip' }, label.name), label.color)
      : h('span', { class: 'label-chip label-gone' }, label.name);
    return h('label', { class: 'label-toggle' }, box, chip);
  }

  function render(state, chosen) {
    const known = labelList(state);
    const missing = chosen
      .filter((id) => !(state.labels || {})[id])
      .map((id) => ({ id, name: 'Deleted label', color: null }));
    const rows = [...known, ...missing];
    const next = JSON.stringify(rows.map((l) => [l.id, l.name, l.color]));
    // Rebuilt only when the labels change: a box under the user's pointer stays.
    if (next !== key) {
      key = next;
      const focused = group.contains(document.activeElement) && document.activeElement.value;
      group.replaceChildren(
        h('legend', { class: 'sr-only' }, 'Show cards with all these labels'),
        ...rows.map((l) => option(l, chosen.includes(l.id))),
      );
      const again = focused && group.querySelector(`input[value="${focused}"]`);
      if (again) again.focus();
    }
    for (const box of boxes()) box.checked = chosen.includes(Number(box.value));
    // A board without labels has nothing to filter by.
    root.hidden = !rows.length;
    count.textContent = chosen.length ? ` (${chosen.length})` : '';
    spoken.textContent = chosen.length ? `, ${chosen.length} chosen` : '';
    root.classList.toggle('active', chosen.length > 0);
  }

  return {
    root,
    render,
    value: () =>
      boxes()
        .filter((b) => b.checked)
        .map((b) => Number(b.value)),
    clear: () => {
      for (const box of boxes()) box.checked = false;
    },
  };
}
