// REST calls: JSON in and out, the access token from auth.js, one retry after a refresh on
// 401, and an op id per write so the socket's echo of our own event can be recognised. A
// request that never reached the app (fetch threw, or a proxy answered 502/503/504) is an
// ApiError with `network` set: the board queues such writes instead of failing them.

import * as auth from './auth.js';

// The statuses a proxy in front of the app answers with while the app is away.
const PROXY_DOWN = new Set([502, 503, 504]);

export class ApiError extends Error {
  // status 0: no answer at all (the server is down or the network is gone)
  constructor(status, body) {
    super((body && body.detail) || `Request failed (${status})`);
    this.status = status;
    this.body = body || {};
    this.network = status === 0 || PROXY_DOWN.has(status);
  }
}

export function isNetworkError(error) {
  return Boolean(error && error.network);
}

export function newOpId() {
  if (globalThis.crypto && crypto.randomUUID) return crypto.randomUUID();
  return `op-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

async function send(method, path, body, headers) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  const token = auth.accessToken();
  if (token) init.headers.Authorization = `Bearer ${token}`;
  try {
    return await fetch(path, init);
  } catch {
    // fetch rejects only when no response came (refused, reset, offline).
    throw new ApiError(0, { detail: 'The server could not be reached.' });
  }
}

export async function request(method, path, body, { headers = {}, auth: needsAuth = true } = {}) {
  let response = await send(method, path, body, headers);
  if (response.status === 401 && needsAuth && (await auth.refresh())) {
    response = await send(method, path, body, headers);
  }
  if (response.status === 204 || response.status === 205) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    if (response.status === 401 && needsAuth) auth.expired();
    throw new ApiError(response.status, data);
  }
  return data;
}

const write =
  (method) =>
  (path, body, opId = newOpId()) =>
    request(method, path, body, { headers: { 'X-Client-Op-Id': opId } });

export const get = (path) => request('GET', path);
export const post = write('POST');
export const patch = write('PATCH');
export const del = (path, version) =>
  request('DELETE', path, undefined, {
    headers: { 'X-Client-Op-Id': newOpId(), ...(version ? { 'If-Match': `"${version}"` } : {}) },
  });

// Every page of a paginated list (boards): small numbers, so a simple loop.
export async function getAll(path) {
  const rows = [];
  let url = path;
  while (url) {
    const page = await get(url);
    if (Array.isArray(page)) return page;
    rows.push(...page.results);
    url = page.next ? new URL(page.next).pathname + new URL(page.next).search : null;
  }
  return rows;
}
