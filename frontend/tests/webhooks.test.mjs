// The webhook panel's logic without a DOM (webhooks-state.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as W from '../static/frontend/webhooks-state.js';

test('the events text becomes a list of names and patterns, empty for every event', () => {
  assert.deepEqual(W.parseEvents(' task.*, board.updated  task.* \n'), ['task.*', 'board.updated']);
  assert.deepEqual(W.parseEvents(''), []);
  assert.equal(W.eventsText([]), 'every event');
  assert.equal(W.eventsText(['task.*', 'board.updated']), 'task.*, board.updated');
});

test('a webhook status says off and why, retrying, the last answer, or nothing yet', () => {
  const base = { active: true, retry_at: null, last_status: null, last_error: '' };
  assert.deepEqual(
    W.hookStatus({ ...base, active: false, disabled_reason: 'Failing for 24 hours' }),
    {
      kind: 'off',
      text: 'Off: Failing for 24 hours',
    },
  );
  assert.equal(
    W.hookStatus({ ...base, retry_at: 'x', last_error: 'Connection refused.' }).text,
    'Retrying: Connection refused.',
  );
  assert.equal(W.hookStatus({ ...base, last_status: 204 }).text, 'Last answer 204');
  assert.equal(W.hookStatus(base).kind, 'idle');
});

test('a delivery result is its status, or its status and error', () => {
  assert.equal(W.deliveryResult({ status_code: 200, error: '' }), '200');
  assert.equal(
    W.deliveryResult({ status_code: 500, error: 'HTTP 500: boom' }),
    '500 HTTP 500: boom',
  );
  assert.equal(
    W.deliveryResult({ status_code: null, error: 'Connection refused.' }),
    'Connection refused.',
  );
});
