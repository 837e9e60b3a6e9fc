// A person as the board shows them: the avatar's initials come from the full name ("Alice
// Anders" → "AA"), its colour from the username, so a rename keeps the colour.

import { hueOf, initials } from './state.js';
import { h } from './ui.js';

export function personAvatar(username, name, { size = 'md', title } = {}) {
  const el = h(
    'span',
    { class: `avatar avatar-${size}`, title: title || name || username, 'aria-hidden': 'true' },
    initials(name || username),
  );
  // Through CSSOM, not a style attribute: the page's CSP allows no inline styles.
  el.style.setProperty('--hue', String(hueOf(username)));
  return el;
}
