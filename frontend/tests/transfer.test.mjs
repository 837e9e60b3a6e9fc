// Export and import's pure rules (transfer-state.js): the job's line, when polling stops,
// what a refusal lists, which files are refused before upload, the export's file name.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  exportFileName,
  jobFinished,
  jobText,
  parseDocument,
  refusalMessages,
} from '../static/frontend/transfer-state.js';

test('polling stops once the job is done or failed', () => {
  assert.equal(jobFinished(null), false);
  assert.equal(jobFinished({ state: 'queued' }), false);
  assert.equal(jobFinished({ state: 'running' }), false);
  assert.equal(jobFinished({ state: 'done' }), true);
  assert.equal(jobFinished({ state: 'failed' }), true);
});

test('jobText tells progress, notes and failure', () => {
  assert.equal(jobText({ state: 'queued', progress: 0 }), 'Import queued…');
  assert.equal(jobText({ state: 'running', progress: 40 }), 'Importing… 40%');
  assert.equal(jobText({ state: 'done', progress: 100, errors: [] }), 'Imported.');
  assert.equal(jobText({ state: 'done', errors: ['a'] }), 'Imported, with 1 note.');
  assert.equal(jobText({ state: 'done', errors: ['a', 'b'] }), 'Imported, with 2 notes.');
  assert.match(jobText({ state: 'failed', errors: ['x'] }), /nothing was kept/);
});

test('refusalMessages reads a 400, a parse error and a 413', () => {
  assert.deepEqual(refusalMessages(400, { document: ['tasks.0.name: too long'] }), [
    'tasks.0.name: too long',
  ]);
  assert.deepEqual(refusalMessages(400, { detail: 'JSON parse error' }), ['JSON parse error']);
  assert.deepEqual(refusalMessages(413, { detail: 'x' }), ['The file is too large to import.']);
  assert.deepEqual(refusalMessages(500, null), ['The import was refused (500).']);
});

test('parseDocument refuses what is not one JSON object', () => {
  assert.deepEqual(parseDocument('{"format": "realtime-scrum/1"}'), {
    document: { format: 'realtime-scrum/1' },
  });
  assert.ok(parseDocument('[1]').error);
  assert.ok(parseDocument('null').error);
  assert.ok(parseDocument('{nope').error);
});

test('exportFileName is a slug of the name and the id', () => {
  assert.equal(exportFileName({ id: 7, name: 'Launch: Q4 / Web!' }), 'launch-q4-web-7.json');
  assert.equal(exportFileName({ id: 3, name: '☃' }), 'board-3.json');
});
