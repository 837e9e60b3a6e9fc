// The board's filter bar: a text search over card names and descriptions, an assignee
// choice (anyone, me, unassigned, each member) and labels (every chosen one must be on the
// card). The rules are state.js (taskFilter); this module reads the controls and says how
// many cards are shown.

import { labelFilter } from './label-filter.js';
import { assigneeChoices, columnsFor, isFiltering, NO_FILTER, visibleTasks } from './state.js';
import { h } from './ui.js';

const FIXED = [
  { value: '', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'none', label: 'Unassigned' },
];

// onChange(filter) runs on every edit of a control.
export function filterBar(onChange) {
  const emit = () =>
    onChange({ assignee: assignee.value, q: search.value, labels: labels.value() });
  const labels = labelFilter(() => emit());
  const search = h('input', {
    id: 'filter-q',
    type: 'search',
    maxlength: 100,
    autocomplete: 'off',
    placeholder: 'Name or description',
    oninput: emit,
  });
  const assignee = h('select', { id: 'filter-assignee', onchange: emit });
  const clear = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      hidden: true,
      onclick: () => {
        search.value = '';
        assignee.value = '';
        labels.clear();
        onChange({ ...NO_FILTER });
        search.focus();
      },
    },
    'Clear filters',
  );
  const summary = h('p', { class: 'filter-summary', 'aria-live': 'polite' });
  const root = h(
    'div',
    { class: 'filter-bar', role: 'search', 'aria-label': 'Filter cards' },
    h(
      'div',
      { class: 'filter-field filter-search' },
      h('label', { for: 'filter-q', class: 'inline-label' }, 'Search'),
      search,
    ),
    h(
      'div',
      { class: 'filter-field' },
      h('label', { for: 'filter-assignee', class: 'inline-label' }, 'Assigned to'),
      assignee,
    ),
    labels.root,
    clear,
    summary,
  );
  let key = '';

  function render(state, sprintId, filter) {
    const choices = [...FIXED, ...assigneeChoices(state)];
    // A link may name someone who is no longer a member: the choice stays, so it shows.
    if (filter.assignee && !choices.some((c) => c.value === filter.assignee)) {
      choices.push({ value: filter.assignee, label: filter.assignee.replace(/^@/, '') });
    }
    const next = JSON.stringify(choices);
    // Rebuilt only when the members change: rebuilding closes a picker the user has open.
    if (next !== key) {
      key = next;
      assignee.replaceChildren(...choices.map((c) => h('option', { value: c.value }, c.label)));
    }
    assignee.value = filter.assignee;
    if (document.activeElement !== search) search.value = filter.q;
    labels.render(state, filter.labels || []);
    const on = isFiltering(filter);
    clear.hidden = !on;
    root.classList.toggle('filtering', on);
    summary.textContent = on ? shownText(state, sprintId, filter) : '';
  }

  return { root, render };
}

function shownText(state, sprintId, filter) {
  let shown = 0;
  let total = 0;
  for (const column of columnsFor(sprintId)) {
    const counts = visibleTasks(state, column, filter);
    shown += counts.shown.length;
    total += counts.total;
  }
  return `Showing ${shown} of ${total} cards`;
}
