// Token refresh planning and socket backoff: the timing rules, without a browser.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { claims, refreshDelay } from '../static/frontend/jwt.js';
import { backoffDelay } from '../static/frontend/socket.js';

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const jwt = (payload) => `${b64({ alg: 'HS256' })}.${b64(payload)}.sig`;

test('claims decodes base64url payloads', () => {
  assert.deepEqual(claims(jwt({ exp: 100, user_id: 7 })), { exp: 100, user_id: 7 });
  assert.equal(claims('garbage'), null);
});

test('refreshDelay: a minute early for long tokens, 80% of the lifetime for short ones', () => {
  const now = 1_000_000_000_000;
  const iat = now / 1000;
  assert.equal(refreshDelay(jwt({ iat, exp: iat + 900 }), now), 840_000);
  assert.equal(refreshDelay(jwt({ iat, exp: iat + 10 }), now), 8_000);
  assert.equal(refreshDelay(jwt({ iat: iat - 100, exp: iat - 1 }), now), 0, 'expired: now');
  assert.equal(refreshDelay('nope', now), 0);
});

test('backoffDelay grows, caps at 5 s, and jitters', () => {
  const mid = () => 0.5;
  assert.equal(backoffDelay(0, mid), 250);
  assert.equal(backoffDelay(2, mid), 1000);
  assert.equal(backoffDelay(10, mid), 5000);
  assert.ok(backoffDelay(10, () => 0) < backoffDelay(10, () => 0.99));
});
