// Entry point: restore the session from the cookie, route by path, keep the top bar.
//   /                  my boards (or log in)
//   /boards/<id>/      a board; ?task=<id> opens that card (links in digest mails)
//   /reset-password/   the password-reset mail's link (#uid=..&token=..), logged in or not

import { resetLinkParams } from './account.js';
import * as auth from './auth.js';
import { renderBoard } from './board.js';
import { renderBoards } from './boards.js';
import * as inbox from './inbox.js';
import { renderLogin } from './login.js';
import { showNotification } from './notify.js';
import { renderResetPassword } from './password-reset.js';
import { openProfileDialog } from './profile-dialog.js';
import { LiveSocket, socketUrl } from './socket.js';
import { renderTopbar as drawTopbar } from './topbar.js';
import { h, toast } from './ui.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
let unmount = null;
let meSocket = null;
// What the next login screen shows: a notice after a reset, or the reset request at once.
let loginOptions = {};
// The reset link's uid and token, kept here once they are off the address bar.
let resetLink = null;

function navigate(path) {
  history.pushState({}, '', path);
  route();
}

function renderTopbar() {
  drawTopbar(topbar, { user: auth.currentUser(), onProfile: profile, onLogout: logout });
}

async function profile() {
  try {
    await openProfileDialog({
      onSaved: (saved) => {
        auth.updateUser(saved);
        renderTopbar();
      },
      returnFocus: () => topbar.querySelector('.user-button'),
    });
  } catch (error) {
    toast({ title: 'Could not load your profile', body: error.message, kind: 'error' });
  }
}

// The link's token leaves the address bar (and history) at once; the view keeps it in memory.
function showReset(link) {
  if (link.uid || link.token) resetLink = link;
  if (location.pathname !== '/reset-password/' || location.hash || location.search) {
    history.replaceState({}, '', '/reset-password/');
  }
  const { uid, token } = resetLink || link;
  renderResetPassword(main, {
    uid,
    token,
    onDone: async (message) => {
      resetLink = null;
      // Every session of the account has just been revoked, this tab's included.
      if (auth.accessToken()) await auth.logout();
      loginOptions = { notice: message };
      navigate('/');
    },
    onRestart: () => {
      resetLink = null;
      if (!auth.accessToken()) loginOptions = { forgot: true };
      navigate('/');
      // Logged in (the link was opened in a tab with a session): the profile changes it.
      if (auth.accessToken()) profile();
    },
  });
}

// Asked for: the login screen says so quietly (auth.onChange stays silent for a logout).
async function logout() {
  await auth.logout();
  loginOptions = { notice: 'You have logged out.' };
  navigate('/');
}

// Frames for this user (not for a board): a notification shows itself; anything else (a
// board this user joined or left, ...) goes to whichever view listens for 'rs:frame'.
function personalFrame(frame) {
  if (frame.type === 'notification') showNotification(frame);
  else window.dispatchEvent(new CustomEvent('rs:frame', { detail: frame }));
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
    onFrame: personalFrame,
    onStatus: () => {},
    onClose: async (code) => (code === 4401 && !(await auth.refresh()) ? 'stop' : 'retry'),
  });
  meSocket.start();
}

async function route() {
  if (unmount) unmount();
  unmount = null;
  renderTopbar();
  const link = resetLinkParams(location);
  if (link) {
    personalSocket(false);
    showReset(link);
    return;
  }
  if (!auth.accessToken()) {
    personalSocket(false);
    const options = loginOptions;
    loginOptions = {};
    renderLogin(main, { onDone: route, ...options });
    return;
  }
  // Every view refreshes the bell's count: a push missed while no socket was open shows up.
  inbox.load();
  const match = location.pathname.match(/^\/boards\/(\d+)\/?$/);
  try {
    if (match) {
      personalSocket(false);
      unmount = await renderBoard(main, {
        boardId: Number(match[1]),
        navigate,
        params: new URLSearchParams(location.search),
      });
    } else {
      personalSocket(true);
      await renderBoards(main, { navigate });
    }
  } catch (error) {
    if (!auth.accessToken()) return route();
    const notFound = error.status === 404;
    main.replaceChildren(
      h(
        'section',
        { class: 'panel empty' },
        h('h1', {}, notFound ? 'Board not found' : 'Something went wrong'),
        h('p', {}, notFound ? 'It does not exist or you are not a member.' : error.message),
        h('a', { href: '/', 'data-nav': true, class: 'btn' }, 'Back to your boards'),
      ),
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
// A reset link pasted into a tab already on this page changes only the fragment: no reload.
window.addEventListener('hashchange', () => resetLinkParams(location) && route());

// A session that ended under the user (revoked, expired, logged out elsewhere) says so; a
// logout the user asked for does not (logout() shows its own notice).
auth.onChange((token, { reason } = {}) => {
  if (token !== null) return;
  inbox.reset();
  if (reason === 'logout' || document.querySelector('.auth-page')) return;
  toast({ title: 'Your session ended', body: 'Please log in again.', kind: 'info' });
  route();
});

// Back to a tab left in the background: its count may be behind (a push to another tab).
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && auth.accessToken()) inbox.load();
});

// A page load has no access token in memory: the cookie session (if any) gives one.
auth.refresh().finally(route);
