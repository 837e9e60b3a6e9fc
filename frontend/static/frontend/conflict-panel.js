// The 409 view inside the task dialog: per field what the user changed next to what the task
// holds now (rows from task-edit.js's conflictRows), and the ways out.

import { h } from './ui.js';

// rows: [{key, label, mine (null: untouched), current, differs, theirs}]
// show(key, value): the text of a value; actions: [{label, primary?, run()}]
export function renderConflict(panel, { detail, rows, show, actions }) {
  panel.replaceChildren(
    h('h3', { id: 'conflict-title' }, 'Someone else changed this task'),
    h('p', {}, detail || 'Review the current values and try again.'),
    conflictTable(rows, show),
    h(
      'div',
      { class: 'conflict-actions' },
      actions.map((a) =>
        h(
          'button',
          { type: 'button', class: a.primary ? 'btn btn-primary' : 'btn', onclick: a.run },
          a.label,
        ),
      ),
    ),
  );
  panel.hidden = false;
  panel.scrollIntoView({ block: 'nearest' });
}

function conflictTable(rows, show) {
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, 'Field'),
    h('th', { scope: 'col' }, 'Yours'),
    h('th', { scope: 'col' }, 'Now'),
  );
  return h(
    'table',
    { class: 'conflict-table' },
    h('thead', {}, head),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          { class: [r.differs ? 'differs' : '', r.theirs ? 'theirs' : ''].join(' ').trim() },
          h('th', { scope: 'row' }, r.label),
          r.mine === null
            ? h('td', { class: 'muted' }, 'not changed')
            : h('td', { class: 'mine-value' }, show(r.key, r.mine)),
          h('td', { class: 'current-value' }, show(r.key, r.current)),
        ),
      ),
    ),
  );
}
