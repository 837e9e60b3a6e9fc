// The top bar: brand, and for a logged-in user the bell, the profile button and "Log out".
// One row at every width: on a phone the brand and the user's name are visually hidden
// (inbox.css) but stay the link's and the button's accessible names.

import { createBell } from './bell.js';
import { avatar, h } from './ui.js';

// One bell per page: it outlives re-renders of the bar (every navigation), so the count
// never flashes back to nothing while the next page loads.
let bell = null;

function brand() {
  return h(
    'a',
    { href: '/', class: 'brand', 'data-nav': true },
    h('span', { class: 'logo', 'aria-hidden': 'true' }),
    h('span', { class: 'brand-name' }, 'Realtime Scrum'),
  );
}

// user: {username, full_name} or null; onProfile(), onLogout(): the buttons' actions.
export function renderTopbar(topbar, { user, onProfile, onLogout }) {
  if (!user) {
    if (bell) bell.close({ focus: false });
    return topbar.replaceChildren(brand());
  }
  if (!bell) bell = createBell();
  bell.close({ focus: false });
  topbar.replaceChildren(
    brand(),
    h(
      'div',
      { class: 'user-menu' },
      bell.root,
      h(
        'button',
        {
          type: 'button',
          class: 'user-button',
          'aria-haspopup': 'dialog',
          title: 'Your profile, time zone, digest and password',
          onclick: onProfile,
        },
        avatar(user.username, { size: 'sm' }),
        h('span', { class: 'user-name' }, user.full_name || user.username),
      ),
      h('button', { type: 'button', class: 'btn btn-ghost logout', onclick: onLogout }, 'Log out'),
    ),
  );
}
