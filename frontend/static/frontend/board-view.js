// The board page's DOM: the head (title, sprint picker, members, who is here, connection
// indicator) around the columns. It only draws what the page hands it: `render(view)` with
// view = { state, sprintId, people, status }; what is offered follows `state.can`.

import { sprintList } from './state.js';
import { avatar, h } from './ui.js';

const STATUS_TEXT = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
};

// columns: the columns.js instance; on: { pickSprint(id), newSprint() }
// widgets: [{ root, render(state, sprintId) }] placed in the toolbar, in order (the members
// popover, board settings, sprint tools: each lives in its own module and owns its DOM).
export function createBoardView({ columns, widgets = [], on }) {
  const parts = {
    title: h('h1', { class: 'board-title' }),
    sprintSelect: h('select', {
      id: 'sprint-picker',
      onchange: () => on.pickSprint(Number(parts.sprintSelect.value) || null),
    }),
    newSprint: h(
      'button',
      { type: 'button', class: 'btn', id: 'new-sprint', hidden: true, onclick: on.newSprint },
      '+ New sprint',
    ),
    indicator: h('span', { class: 'conn', role: 'status', 'aria-live': 'polite' }),
    presenceList: h('ul', { class: 'presence', 'aria-label': 'Who is here' }),
    sprintInfo: h('p', { class: 'sprint-info muted' }),
  };
  const root = layout(parts, widgets, columns.root);

  function render({ state, sprintId, people, status }) {
    parts.title.textContent = state.board.name;
    document.title = `${state.board.name} · Realtime Scrum`;
    renderSprints(parts, state, sprintId);
    parts.newSprint.hidden = !state.can.write;
    for (const widget of widgets) widget.render(state, sprintId);
    renderPresence(parts.presenceList, people);
    renderIndicator(parts.indicator, status);
    columns.render(state, sprintId, people);
  }

  return { root, render };
}

function layout(parts, widgets, columnsRoot) {
  return h(
    'section',
    { class: 'board-page' },
    h(
      'div',
      { class: 'board-head' },
      h(
        'div',
        { class: 'board-head-main' },
        h('a', { href: '/', class: 'back', 'data-nav': true }, '← All boards'),
        parts.title,
        parts.sprintInfo,
      ),
      h(
        'div',
        { class: 'board-tools' },
        h('label', { for: 'sprint-picker', class: 'inline-label' }, 'Sprint'),
        parts.sprintSelect,
        parts.newSprint,
        widgets.map((widget) => widget.root),
        parts.presenceList,
        parts.indicator,
      ),
    ),
    h(
      'p',
      { id: 'move-help', class: 'sr-only' },
      'Alt plus arrow keys move the card between and within columns.',
    ),
    h(
      'p',
      { class: 'help muted', 'aria-hidden': 'true' },
      'Drag cards to move them, or focus a card and press Alt + ← → ↑ ↓.',
    ),
    columnsRoot,
  );
}

function renderSprints({ sprintSelect, sprintInfo }, state, sprintId) {
  const sprints = sprintList(state);
  sprintSelect.replaceChildren(
    ...(sprints.length ? [] : [h('option', { value: '' }, 'No sprints yet')]),
    ...sprints.map((sp) =>
      h('option', { value: sp.id }, `${sp.name || 'Untitled sprint'} · ends ${sp.end}`),
    ),
  );
  sprintSelect.value = sprintId == null ? '' : String(sprintId);
  const sprint = state.sprints[sprintId];
  sprintInfo.textContent = sprint
    ? sprint.description || `Ends ${sprint.end}`
    : state.board.description || '';
}

function renderPresence(list, people) {
  list.replaceChildren(
    ...people.map((p) =>
      h(
        'li',
        { class: `presence-user${p.me ? ' me' : ''}`, dataset: { username: p.username } },
        avatar(p.username),
        h('span', { class: 'presence-name' }, p.me ? `${p.username} (you)` : p.username),
        p.task && !p.me ? h('span', { class: 'presence-focus' }, `viewing “${p.task.name}”`) : null,
      ),
    ),
  );
}

function renderIndicator(indicator, status) {
  indicator.className = `conn conn-${status}`;
  indicator.dataset.status = status;
  indicator.textContent = STATUS_TEXT[status];
}
