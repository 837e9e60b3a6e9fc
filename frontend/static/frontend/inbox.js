// The inbox of the logged-in user: one store for the bell, its list and the toasts, so the
// unread count is the same number wherever a notification is marked read.
//
// The server is the truth: the bell loads its first page (with `unread`) on every view and
// after each write. What happens meanwhile (a push, a click) is applied at once and kept as
// an op until a page fetched after it arrives (inbox-state.js settle), so a slow answer
// never undoes a newer change.

import * as api from './api.js';
import * as S from './inbox-state.js';
import { toast } from './ui.js';

const PAGE = '/api/notifications/?page_size=20';

let state = S.EMPTY;
let ops = [];
let opSeq = 0;
let loadSeq = 0;
const listeners = new Set();

export const current = () => state;

// fn(state) after every change; returns the unsubscribe function.
export function subscribe(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function set(next) {
  if (next === state) return;
  state = next;
  for (const fn of listeners) fn(state);
}

function record(op) {
  const entry = { ...op, seq: ++opSeq, at: new Date().toISOString(), pending: !!op.pending };
  ops.push(entry);
  set(S.apply(state, entry));
  return entry;
}

export async function load() {
  const mine = ++loadSeq;
  const before = opSeq;
  let page;
  try {
    page = await api.get(PAGE);
  } catch {
    return; // offline or logged out: the count shown stays until the next view
  }
  if (mine !== loadSeq) return; // a newer load (or a logout) took over
  // Ops older than this request are in its answer; newer or unconfirmed ones may not be.
  ops = ops.filter((op) => op.seq > before || op.pending);
  set(S.settle(page, ops));
}

// A `notification` frame from either socket (notify.js).
export function receive(frame) {
  if (frame && frame.id != null) record({ type: 'frame', frame });
}

async function write(op, path, body, failure) {
  const entry = record({ ...op, pending: true });
  try {
    await api.post(path, body);
  } catch (error) {
    toast({ title: failure, body: error.message, kind: 'error' });
    ops = ops.filter((o) => o !== entry); // the next page shows the server's view again
  }
  entry.pending = false;
  await load();
}

export function markRead(id) {
  if (S.isRead(state, id)) return Promise.resolve();
  return write(
    { type: 'read', id },
    `/api/notifications/${id}/read/`,
    {},
    'Could not mark the notification read',
  );
}

export function markAllRead() {
  const upTo = S.newestId(state);
  return write(
    { type: 'readAll', upTo },
    '/api/notifications/read-all/',
    upTo ? { up_to: upTo } : {},
    'Could not mark the notifications read',
  );
}

// Logged out: nothing of this user's inbox stays for the next one; loads in flight are void.
export function reset() {
  loadSeq += 1;
  ops = [];
  set(S.EMPTY);
}
