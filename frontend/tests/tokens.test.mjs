// The Tokens section's pure rules (account.js): the create request and the list's text.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { relativeDay, tokenRequest, tokenSummary } from '../static/frontend/account.js';

test('tokenRequest: no board ticked means every board, no expiry unless chosen', () => {
  assert.deepEqual(tokenRequest({ name: '  ci  ', scope: 'read' }), {
    name: 'ci',
    scope: 'read',
    boards: null,
  });
  assert.deepEqual(
    tokenRequest({ name: 'bot', scope: 'write', boards: ['3', '7'], expiresInDays: '30' }),
    { name: 'bot', scope: 'write', boards: [3, 7], expires_in_days: 30 },
  );
  assert.equal(tokenRequest({ name: 'x', scope: 'admin' }).scope, 'read');
});

test('tokenSummary names boards, scope, last use and expiry', () => {
  const now = new Date('2030-01-10T12:00:00Z');
  const token = {
    name: 'deploy',
    prefix: 'AbCdEfGh',
    scope: 'write',
    boards: [1, 9],
    last_used_at: '2030-01-08T12:00:00Z',
    expires_at: '2030-02-09T12:00:00Z',
  };
  const summary = tokenSummary(token, new Map([[1, 'Team']]), now);
  assert.equal(summary.prefix, 'rs_pat_AbCdEfGh…');
  assert.equal(summary.scope, 'Read and write');
  assert.equal(summary.boards, 'Team, board 9');
  assert.equal(summary.lastUsed, '2 days ago');
  assert.equal(summary.expires, 'in 30 days');
  assert.equal(summary.expired, false);
  const old = tokenSummary(
    { ...token, boards: null, last_used_at: null, expires_at: '2030-01-01T00:00:00Z' },
    new Map(),
    now,
  );
  assert.deepEqual(
    [old.boards, old.lastUsed, old.expires, old.expired],
    ['All your boards', 'Never used', 'Expired', true],
  );
  assert.equal(relativeDay(null, now, 'Never expires'), 'Never expires');
});
