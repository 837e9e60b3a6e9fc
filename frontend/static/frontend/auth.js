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
// and with null when the session is gone.
export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function csrf() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.content : '';
}

async function sessionCall(path, body) {
  const response = await fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-CSRFToken': csrf() },
    body: JSON.stringify(body || {}),
  });
  const data = await response.json().catch(() => null);
  return { ok: response.ok, status: response.status, data };
}

function accept(data) {
  access = data.access;
  user = data.user;
  clearTimeout(timer);
  timer = setTimeout(() => refresh(), refreshDelay(access, Date.now()));
  for (const fn of listeners) fn(access);
}

function clear() {
  const had = access !== null;
  access = null;
  user = null;
  clearTimeout(timer);
  // Only an ended session is news; a page load without one is not.
  if (had) for (const fn of listeners) fn(null);
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

// One refresh at a time, across tabs too (they share the cookie: two rotations of the same
// token would blacklist one tab's session).
export function refresh() {
  if (!inflight) {
    const run = async () => {
      let result = await sessionCall('/app/session/refresh/');
      if (result.status === 401 && access) {
        // Another tab may have rotated the cookie a moment ago: the new one is there now.
        await new Promise((r) => setTimeout(r, 300));
        result = await sessionCall('/app/session/refresh/');
      }
      if (result.ok) {
        accept(result.data);
        return true;
      }
      if (result.status === 401) clear();
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

export async function logout() {
  await sessionCall('/app/session/logout/').catch(() => null);
  clear();
}
