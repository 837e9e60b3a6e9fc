// The board page's DOM: the head (title and description, sprint picker and goal, members,
// who is here, connection indicator), the filter bar, and the columns. It only draws what
// the page hands it: `render(view)` with view = { state, sprintId, people, status }; what is
// offered follows `state.can`. The filter lives here and in the URL (?assignee=, ?q=), so a
// reload or a shared link shows the same cards.

import { connectionIndicator, renderConnection } from './conn-indicator.js';
import { filterBar } from './filter-bar.js';
import { personAvatar } from './person.js';
import { displayName, filterParams, parseFilter, sprintList } from './state.js';
import { h } from './ui.js';

// The indicator's texts, countdown and "Retry now": conn-indicator.js.

// columns: the columns.js instance; on: { pickSprint(id), newSprint() }
// widgets: [{ root, render(state, sprintId), events?(applied, state) }] placed in the toolbar,
// in order (the members popover, board settings, sprint tools: each lives in its own module
// and owns its DOM). `events` hears each batch of board events as it is applied.
// more: widgets a phone tucks behind a "More" button (on a wide screen they sit inline).
export function createBoardView({ columns, widgets = [], more = [], on }) {
  let filter = parseFilter(new URLSearchParams(location.search));
  let last = null;
  const parts = {
    title: h('h1', { class: 'board-title' }),
    boardInfo: h('p', { class: 'board-desc muted' }),
    sprintSelect: h('select', {
      id: 'sprint-picker',
      onchange: () => on.pickSprint(Number(parts.sprintSelect.value) || null),
    }),
    sprintGoal: h('p', { class: 'sprint-goal' }),
    newSprint: h(
      'button',
      { type: 'button', class: 'btn', id: 'new-sprint', hidden: true, onclick: on.newSprint },
      '+ New sprint',
    ),
    indicator: connectionIndicator(() => on.retryNow && on.retryNow()),
    presenceList: h('ul', { class: 'presence', 'aria-label': 'Who is here' }),
    filters: filterBar((next) => {
      filter = next;
      const url = new URL(location.href);
      url.search = filterParams(filter, url.searchParams).toString();
      history.replaceState(history.state, '', url);
      if (last) render(last);
    }),
  };
  const root = layout(parts, widgets, more, columns);
  const all = [...widgets, ...more];

  function render(view) {
    last = view;
    const { state, sprintId, people, status, connection } = view;
    parts.title.textContent = state.board.name;
    document.title = `${state.board.name} · Realtime Scrum`;
    parts.boardInfo.textContent = state.board.description || '';
    parts.boardInfo.hidden = !state.board.description;
    renderSprints(parts, state, sprintId);
    parts.newSprint.hidden = !state.can.write;
    for (const widget of all) widget.render(state, sprintId);
    renderPresence(parts.presenceList, people, state);
    renderIndicator(parts.indicator, connection || { status });
    parts.filters.render(state, sprintId, filter);
    columns.render(state, sprintId, people, filter);
  }

  function events(applied, state) {
    for (const widget of all) if (widget.events) widget.events(applied, state);
  }

  return { root, render, events };
}

// The phone's "More" toggle: the first cards stay in view under a two-row toolbar.
function moreTools(more) {
  const box = h(
    'div',
    { class: 'tools-more', id: 'tools-more' },
    more.map((w) => w.root),
  );
  const toggle = h(
    'button',
    {
      type: 'button',
      class: 'btn tools-more-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'tools-more',
      onclick: () => {
        const open = toggle.getAttribute('aria-expanded') !== 'true';
        toggle.setAttribute('aria-expanded', String(open));
        box.classList.toggle('open', open);
      },
    },
    'More',
  );
  return more.length ? [toggle, box] : [];
}

function layout(parts, widgets, more, columns) {
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
        // Who is here and the connection sit by the title: on a phone they share its row.
        h('div', { class: 'board-title-row' }, parts.title, parts.presenceList, parts.indicator),
        parts.boardInfo,
      ),
      h(
        'div',
        { class: 'board-tools' },
        h(
          'div',
          { class: 'sprint-pick' },
          h('label', { for: 'sprint-picker', class: 'inline-label' }, 'Sprint'),
          parts.sprintSelect,
          parts.sprintGoal,
        ),
        parts.newSprint,
        widgets.map((widget) => widget.root),
        moreTools(more),
      ),
    ),
    h(
      'div',
      { class: 'board-bar' },
      parts.filters.root,
      h(
        'p',
        { class: 'help muted', 'aria-hidden': 'true' },
        'Drag cards to move them, or focus a card and press Alt + ← → ↑ ↓.',
      ),
    ),
    h(
      'p',
      { id: 'move-help', class: 'sr-only' },
      'Alt plus arrow keys move the card between and within columns.',
    ),
    columns.switcher.root,
    columns.root,
  );
}

// The sprint's goal sits next to the picker (its description until sprints have a goal);
// the board's own description stays under the title.
function renderSprints({ sprintSelect, sprintGoal }, state, sprintId) {
  const sprints = sprintList(state);
  sprintSelect.replaceChildren(
    ...(sprints.length ? [] : [h('option', { value: '' }, 'No sprints yet')]),
    ...sprints.map((sp) =>
      h('option', { value: sp.id }, `${sp.name || 'Untitled sprint'} · ends ${sp.end}`),
    ),
  );
  sprintSelect.value = sprintId == null ? '' : String(sprintId);
  const sprint = state.sprints[sprintId];
  const goal = sprint ? sprint.goal || sprint.description : '';
  sprintGoal.replaceChildren(
    ...(goal ? [h('span', { class: 'sprint-goal-label' }, 'Goal: '), goal] : []),
  );
  sprintGoal.hidden = !goal;
}

// Presence frames may carry no full name: the board's members know it.
function renderPresence(list, people, state) {
  list.replaceChildren(
    ...people.map((p) => {
      const name = p.full_name || displayName(state, p.username);
      return h(
        'li',
        { class: `presence-user${p.me ? ' me' : ''}`, dataset: { username: p.username } },
        personAvatar(p.username, name),
        h('span', { class: 'presence-name' }, p.me ? `${name} (you)` : name),
        p.task && !p.me ? h('span', { class: 'presence-focus' }, `viewing “${p.task.name}”`) : null,
      );
    }),
  );
}

// connection: { status, retryAt, network } (board.js, from the socket)
function renderIndicator(indicator, connection) {
  renderConnection(indicator, connection);
}
