// Entry point: restore the session from the cookie, route by path, keep the top bar.
//   /                  my boards (or log in)
//   /boards/<id>/      a board; ?task=<id> opens that card (links in digest mails)

import * as auth from './auth.js';
import { renderBoard } from './board.js';
import { renderBoards } from './boards.js';
import { renderLogin } from './login.js';
import { showNotification } from './notify.js';
import { LiveSocket, socketUrl } from './socket.js';
import { avatar, h, toast } from './ui.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let unmount = null;
let meSocket = null;

function navigate(path) {
  history.pushState({}, '', path);
  route();
}

function renderTopbar() {
  const user = auth.currentUser();
  const brand = h('a', { href: '/', class: 'brand', 'data-nav': true }, h('span', { class: 'logo', 'aria-hidden': 'true' }), 'Realtime Scrum');
  if (!user) return topbar.replaceChildren(brand);
  topbar.replaceChildren(
    brand,
    h(
      'div',
      { class: 'user-menu' },
      avatar(user.username, { size: 'sm' }),
      h('span', { class: 'user-name' }, user.full_name || user.username),
      h('button', { type: 'button', class: 'btn btn-ghost', onclick: logout }, 'Log out'),
    ),
  );
}

async function logout() {
  await auth.logout();
  navigate('/');
}

// Notifications on pages without a board socket (the board socket carries them itself).
function personalSocket(on) {
  if (!on) {
    if (meSocket) meSocket.stop();
    meSocket = null;
    return;
  }
  if (meSocket) return;
  meSocket = new LiveSocket({
    url: () => (auth.accessToken() ? socketUrl('/ws/me/', { token: auth.accessToken() }) : null),
    onFrame: (frame) => frame.type === 'notification' && showNotification(frame),
    onStatus: () => {},
    onClose: async (code) => (code === 4401 && !(await auth.refresh()) ? 'stop' : 'retry'),
  });
  meSocket.start();
}

async function route() {
  if (unmount) unmount();
  unmount = null;
  renderTopbar();
  if (!auth.accessToken()) {
    personalSocket(false);
    renderLogin(main, { onDone: route });
    return;
  }
  const match = location.pathname.match(/^\/boards\/(\d+)\/?$/);
  try {
    if (match) {
      personalSocket(false);
      unmount = await renderBoard(main, { boardId: Number(match[1]), navigate, params: new URLSearchParams(location.search) });
    } else {
      personalSocket(true);
      await renderBoards(main, { navigate });
    }
  } catch (error) {
    if (!auth.accessToken()) return route();
    const notFound = error.status === 404;
    main.replaceChildren(
      h('section', { class: 'panel empty' },
        h('h1', {}, notFound ? 'Board not found' : 'Something went wrong'),
        h('p', {}, notFound ? 'It does not exist or you are not a member.' : error.message),
        h('a', { href: '/', 'data-nav': true, class: 'btn' }, 'Back to your boards')),
    );
  }
  main.focus({ preventScroll: true });
}

// In-app links navigate without a reload (the board socket and session stay in memory).
document.addEventListener('click', (event) => {
  const link = event.target.closest && event.target.closest('a[data-nav]');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  navigate(link.getAttribute('href'));
});
window.addEventListener('popstate', route);

auth.onChange((token) => {
  if (token === null && !document.querySelector('.auth-page')) {
    toast({ title: 'Your session ended', body: 'Please log in again.', kind: 'info' });
    route();
  }
});

// A page load has no access token in memory: the cookie session (if any) gives one.
auth.refresh().finally(route);
