// The account views' pure rules: reading a reset link, the time-zone choices, profile patches.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  passwordMismatch,
  profilePatch,
  resetLinkParams,
  utcOffset,
  zoneGroups,
} from '../static/frontend/account.js';
import { splitErrors } from '../static/frontend/ui.js';

test('resetLinkParams reads the mailed fragment, a query string, and the old #/ links', () => {
  const want = { uid: 'MQ', token: 'c5x-abc' };
  assert.deepEqual(
    resetLinkParams({ pathname: '/reset-password/', hash: '#uid=MQ&token=c5x-abc' }),
    want,
  );
  assert.deepEqual(
    resetLinkParams({ pathname: '/reset-password', search: '?uid=MQ&token=c5x-abc' }),
    want,
  );
  assert.deepEqual(
    resetLinkParams({ pathname: '/', hash: '#/reset-password?uid=MQ&token=c5x-abc' }),
    want,
  );
  assert.deepEqual(
    resetLinkParams({
      pathname: '/reset-password/',
      search: '?uid=OLD&token=old',
      hash: '#uid=MQ&token=c5x-abc',
    }),
    want,
    'the fragment wins',
  );
});

test('resetLinkParams: an incomplete link is still the reset view; other pages are not', () => {
  assert.deepEqual(resetLinkParams({ pathname: '/reset-password/' }), { uid: '', token: '' });
  assert.deepEqual(resetLinkParams({ pathname: '/reset-password/', hash: '#uid=MQ' }), {
    uid: 'MQ',
    token: '',
  });
  assert.equal(resetLinkParams({ pathname: '/' }), null);
  assert.equal(resetLinkParams({ pathname: '/boards/3/', search: '?task=4' }), null);
  assert.equal(resetLinkParams({ pathname: '/', hash: '#/reset-passwords?uid=1' }), null);
});

test('utcOffset names the offset at that moment (daylight saving included)', () => {
  const winter = new Date('2025-01-15T12:00:00Z');
  const summer = new Date('2025-07-15T12:00:00Z');
  assert.equal(utcOffset('Asia/Tokyo', winter), 'UTC+09:00');
  assert.equal(utcOffset('Europe/Berlin', winter), 'UTC+01:00');
  assert.equal(utcOffset('Europe/Berlin', summer), 'UTC+02:00');
  assert.equal(utcOffset('UTC', winter), 'UTC+00:00');
  assert.equal(utcOffset('Not/A_Zone', winter), '');
});

test('zoneGroups: UTC first, regions in order, readable labels, the current zone kept', () => {
  const date = new Date('2025-01-15T12:00:00Z');
  const groups = zoneGroups(
    ['Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Asia/Tokyo'],
    'US/Eastern',
    date,
  );
  assert.deepEqual(
    groups.map((g) => g.group),
    ['', 'America', 'Asia', 'Europe', 'US'],
  );
  assert.deepEqual(groups[0].zones, [{ value: 'UTC', label: 'UTC' }]);
  assert.deepEqual(groups[1].zones, [
    { value: 'America/Argentina/Buenos_Aires', label: 'Argentina / Buenos Aires (UTC-03:00)' },
  ]);
  assert.deepEqual(groups[4].zones, [{ value: 'US/Eastern', label: 'Eastern (UTC-05:00)' }]);
  const values = zoneGroups([], null, date).flatMap((g) => g.zones.map((z) => z.value));
  assert.deepEqual(values, ['UTC'], 'no Intl.supportedValuesOf: UTC is still there');
});

test('profilePatch sends only changed fields, trimmed', () => {
  const me = {
    full_name: 'Ann Lee',
    email: 'ann@example.com',
    timezone: 'UTC',
    digest_enabled: true,
  };
  assert.deepEqual(profilePatch(me, { ...me, full_name: ' Ann Lee ' }), {});
  assert.deepEqual(profilePatch(me, { ...me, timezone: 'Asia/Tokyo', digest_enabled: false }), {
    timezone: 'Asia/Tokyo',
    digest_enabled: false,
  });
});

test('passwordMismatch and splitErrors', () => {
  assert.equal(passwordMismatch('a-long-pass', 'a-long-pass'), null);
  assert.deepEqual(passwordMismatch('a-long-pass', 'a-long-pasS'), {
    confirm: ['The two passwords differ.'],
  });
  const { fields, rest } = splitErrors(
    {
      new_password: ['This password is too short.', 'It is too common.'],
      token: ['Dead link.'],
      detail: 'x',
    },
    ['new_password', 'confirm'],
  );
  assert.deepEqual(fields, { new_password: ['This password is too short.', 'It is too common.'] });
  assert.deepEqual(rest, { token: ['Dead link.'], detail: 'x' });
  assert.deepEqual(splitErrors(null, ['a']), { fields: {}, rest: {} });
});
