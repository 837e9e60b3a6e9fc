// Tokens. The access token lives in this module's memory only; the refresh token never
// reaches JavaScript for longer than one request: login/signup hand it to /app/session/,
// which rotates it into an HttpOnly SameSite=Strict cookie (see frontend/views.py).

import { refreshDelay } from './jwt.js';

let access = null;
let user = null;
let timer = null;
let inflight = null;
const listeners = new Set();

export const accessToken = () => access;
export const currentUser = () => user;

// Called with the new access token after every refresh (the socket sends `auth.refresh`),
// and with (null, {reason}) when the session is gone: 'logout' when the user asked for it,
// 'ended' when it ended under them (revoked, expired, logged out in another tab).
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : '';
}

function parseJson(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return null;
  }
}

async function sessionCall(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf() },
    body: JSON.stringify(body || {}),
  });
  // Read even an empty body: Chromium reports a fetch whose body was left unread (a 204's
  // too) as aborted, and the page's network log would show a failure that was none.
  const text = await response.text().catch(() => '');
  return { ok: response.ok, status: response.status, data: parseJson(text) };
}

function accept(data) {
  access = data.access;
  user = data.user;
  clearTimeout(timer);
  timer = setTimeout(() => refresh(), refreshDelay(access, Date.now()));
  for (const fn of listeners) fn(access);
}

function clear(reason = 'ended') {
  const had = access !== null;
  access = null;
  user = null;
  clearTimeout(timer);
  // Only an ended session is news; a page load without one is not.
  if (had) for (const fn of listeners) fn(null, { reason });
}

async function jsonPost(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.detail || 'Something went wrong.');
    error.status = response.status;
    error.body = data;
    throw error;
  }
  return data;
}

async function adopt(refreshToken) {
  const result = await sessionCall('/app/session/', { refresh: refreshToken });
  if (!result.ok)
    throw new Error((result.data && result.data.detail) || 'Could not start a session.');
  accept(result.data);
  return user;
}

export async function login(username, password) {
  const pair = await jsonPost('/api/auth/login/', { username, password });
  return adopt(pair.refresh);
}

export async function signup(fields) {
  const body = await jsonPost('/api/auth/signup/', fields);
  return adopt(body.refresh);
}

// A password change answers with a new pair for this session: the cookie takes the refresh.
export function adoptPair(pair) {
  return adopt(pair.refresh);
}

// The profile dialog saved a new name: the top bar shows it without a session round trip.
export function updateUser(profile) {
  if (user) user = { ...user, username: profile.username, full_name: profile.full_name };
}

// What a refresh answer means: a new token, no session (204 without a cookie, or with one
// that is dead: the server answers no error status, so a load logs nothing), or a failure
// (network, 5xx) that proves nothing about the session.
export function refreshOutcome(result) {
  if (result.ok && result.data && result.data.access) return 'session';
  if (result.status === 204 || result.status === 401) return 'none';
  return 'unknown';
}

// One refresh at a time, across tabs too (they share the cookie: two rotations of the same
// token would blacklist one tab's session).
export function refresh() {
  if (!inflight) {
    const run = async () => {
      let result = await sessionCall('/app/session/refresh/');
      if (refreshOutcome(result) === 'none' && access) {
        // Another tab may have rotated the cookie a moment ago: the new one is there now.
        await new Promise((r) => setTimeout(r, 300));
        result = await sessionCall('/app/session/refresh/');
      }
      const outcome = refreshOutcome(result);
      if (outcome === 'session') {
        accept(result.data);
        return true;
      }
      if (outcome === 'none') clear();
      return false;
    };
    const locked = navigator.locks ? () => navigator.locks.request('rs-refresh', run) : run;
    inflight = locked()
      .catch(() => false)
      .finally(() => {
        inflight = null;
      });
  }
  return inflight;
}

// The API said 401 even after a refresh: the session is over.
export function expired() {
  if (access) clear();
}

// Asked for by the user: listeners hear reason 'logout' (no "session ended" message).
export async function logout() {
  await sessionCall('/app/session/logout/').catch(() => null);
  clear('logout');
}
