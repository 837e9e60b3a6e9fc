// The bell in the top bar: the unread count on a disclosure button and a popover with the
// list (title, time, the cards it is about), "Mark read" on each and "Mark all read".
// Keyboard: Enter/Space opens it and focus moves into it; Escape closes it and focus goes
// back to the bell; tabbing or clicking away closes it.

import * as inbox from './inbox.js';
import * as S from './inbox-state.js';
import { announce, h } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';

const PATHS = {
  bell:
    'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 ' +
    '1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z',
  due: 'M7 2v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2V2h-2v2H9V2zM5 9h14v11H5z',
  mention:
    'M12 2a10 10 0 1 0 5 18.66l-1-1.73A8 8 0 1 1 20 12v1.5a1.5 1.5 0 0 1-3 0V12a5 5 0 1 0-1.46 ' +
    '3.53A3.5 3.5 0 0 0 22 13.5V12A10 10 0 0 0 12 2zm0 13a3 3 0 1 1 0-6 3 3 0 0 1 0 6z',
  activity: 'M4 4h16v12H7l-3 3zm3 4v2h10V8zm0 4v2h7v-2z',
};

function icon(name, cls) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('class', cls);
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', PATHS[name] || PATHS.bell);
  svg.append(path);
  return svg;
}

const bellIcon = () => icon('bell', 'bell-icon');

function itemView(item, now) {
  const unread = !item.read_at;
  const links = S.taskLinks(item);
  const kind = S.kindOf(item);
  const title = S.titleOf(item);
  const summary = S.summaryOf(item);
  // A coalesced notification is as recent as its newest part.
  const at = item.updated_at || item.created_at;
  return h(
    'li',
    {
      class: `inbox-item inbox-${kind.icon}${unread ? ' unread' : ''}`,
      dataset: { id: item.id, kind: item.kind || '' },
      tabindex: '-1',
    },
    h(
      'div',
      { class: 'inbox-item-head' },
      icon(kind.icon, 'inbox-kind-icon'),
      h(
        'span',
        { class: 'inbox-item-title' },
        unread ? h('span', { class: 'sr-only' }, 'Unread: ') : null,
        h('span', { class: 'sr-only' }, `${kind.label}: `),
        title,
      ),
      h(
        'time',
        { class: 'inbox-time', datetime: at, title: new Date(at).toLocaleString() },
        S.timeLabel(at, now),
      ),
    ),
    summary ? h('p', { class: 'inbox-summary-line' }, summary) : null,
    links.length
      ? h(
          'ul',
          { class: 'inbox-tasks' },
          links.map((l) =>
            h(
              'li',
              {},
              h('a', { href: l.href, 'data-nav': true }, l.name),
              l.board ? h('span', { class: 'muted' }, ` · ${l.board}`) : null,
            ),
          ),
        )
      : null,
    unread
      ? h(
          'button',
          {
            type: 'button',
            class: 'btn btn-small inbox-mark',
            'aria-label': `Mark read: ${title}`,
            onclick: () => inbox.markRead(item.id),
          },
          'Mark read',
        )
      : null,
  );
}

function listView(state) {
  if (!state.ready && !state.items.length) return h('p', { class: 'inbox-empty' }, 'Loading…');
  if (!state.items.length) return h('p', { class: 'inbox-empty' }, 'No notifications yet.');
  const now = Date.now();
  return h(
    'ul',
    { class: 'inbox-list' },
    state.items.map((item) => itemView(item, now)),
  );
}

// The popover's frame: heading, "n unread", "Mark all read" and the list's container.
function panel() {
  const summary = h('span', { class: 'inbox-summary muted' });
  const markAll = h(
    'button',
    {
      type: 'button',
      class: 'btn btn-small',
      onclick: async () => {
        await inbox.markAllRead();
        announce('All notifications marked read');
      },
    },
    'Mark all read',
  );
  const body = h('div', { class: 'inbox-body' });
  const pop = h(
    'div',
    {
      class: 'inbox-pop panel',
      id: 'inbox-pop',
      role: 'dialog',
      'aria-labelledby': 'inbox-title',
      tabindex: '-1',
      hidden: true,
    },
    h(
      'div',
      { class: 'inbox-head' },
      h('h2', { id: 'inbox-title' }, 'Notifications'),
      summary,
      markAll,
    ),
    body,
  );
  return { pop, summary, markAll, body };
}

export function createBell() {
  const badge = h('span', { class: 'bell-badge', 'aria-hidden': 'true', hidden: true });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'bell-button',
      'aria-haspopup': 'dialog',
      'aria-expanded': 'false',
      'aria-controls': 'inbox-pop',
      onclick: () => (pop.hidden ? open() : close({ focus: false })),
    },
    bellIcon(),
    badge,
  );
  const { pop, summary, markAll, body } = panel();
  const root = h('div', { class: 'bell' }, button, pop);

  function render(state) {
    button.setAttribute('aria-label', S.bellLabel(state.unread));
    badge.textContent = S.badgeText(state.unread);
    badge.hidden = !state.unread;
    if (pop.hidden) return;
    summary.textContent = state.unread ? `${state.unread} unread` : 'All read';
    // A re-render replaces the item that had focus ("Mark read" just removed itself), and
    // "Mark all read" disables itself: keep the keyboard user there, not on the page.
    const focused = pop.contains(document.activeElement) && document.activeElement;
    const focusedId = focused && focused.closest('[data-id]')?.dataset.id;
    markAll.disabled = !state.unread;
    body.replaceChildren(listView(state));
    if (focused === markAll && markAll.disabled) pop.focus();
    else if (focused && !focused.isConnected) {
      const again = focusedId && body.querySelector(`[data-id="${focusedId}"]`);
      (again || pop).focus();
    }
  }

  function outside(event) {
    if (!root.contains(event.target)) close({ focus: false });
  }

  function open() {
    pop.hidden = false;
    button.setAttribute('aria-expanded', 'true');
    render(inbox.current());
    pop.focus();
    document.addEventListener('pointerdown', outside, true);
    inbox.load();
  }

  function close({ focus = true } = {}) {
    if (pop.hidden) return;
    pop.hidden = true;
    button.setAttribute('aria-expanded', 'false');
    document.removeEventListener('pointerdown', outside, true);
    if (focus) button.focus();
  }

  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !pop.hidden) {
      event.preventDefault();
      event.stopPropagation();
      close();
    }
  });
  root.addEventListener('focusout', (event) => {
    if (event.relatedTarget && !root.contains(event.relatedTarget)) close({ focus: false });
  });
  // A card link navigates (app.js); the popover has done its job.
  body.addEventListener('click', (event) => {
    if (event.target.closest('a[href]')) close({ focus: false });
  });

  inbox.subscribe(render);
  render(inbox.current());
  return { root, close };
}
