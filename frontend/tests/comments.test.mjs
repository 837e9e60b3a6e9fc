// Comments on a card as the page reasons about them: which "@" is a mention being typed, whom
// it suggests, what a pick does to the text, what a rendered comment highlights; a watched
// card's coalesced push in the inbox; an activity entry as a sentence.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { activityText, eventTouches } from '../static/frontend/activity-text.js';
import * as S from '../static/frontend/inbox-state.js';
import {
  insertMention,
  mentionAt,
  mentionMatches,
  mentionParts,
} from '../static/frontend/mentions.js';

const member = (id, username, full_name) => ({ user: { id, username, full_name }, role: 'member' });
const MEMBERS = [
  member(1, 'olive', 'Olive Oyl'),
  member(2, 'bob', 'Bob Brown'),
  member(3, 'bea', 'Beatrice Abbott'),
  member(4, 'carl', 'Carl Bertram'),
];
const names = (users) => users.map((u) => u.username);

test('an "@" that opens a word starts a mention; one inside a word does not', () => {
  assert.deepEqual(mentionAt('hi @bo', 6), { start: 3, end: 6, query: 'bo' });
  assert.deepEqual(mentionAt('@', 1), { start: 0, end: 1, query: '' });
  assert.equal(mentionAt('mail ann@example.com', 20), null, 'an address is no mention');
  assert.equal(mentionAt('hi @bob and', 11), null, 'the caret left the name');
  assert.equal(mentionAt('no at sign', 5), null);
  // The caret in the middle of a name: the whole name is what a pick replaces.
  assert.deepEqual(mentionAt('(@bobby)', 4), { start: 1, end: 7, query: 'bo' });
});

test('suggestions: usernames that start with the query first, then a word of the name', () => {
  assert.deepEqual(names(mentionMatches(MEMBERS, 'b')), ['bea', 'bob', 'carl']);
  assert.deepEqual(names(mentionMatches(MEMBERS, 'BO')), ['bob'], 'case does not matter');
  assert.deepEqual(names(mentionMatches(MEMBERS, 'abb')), ['bea'], 'a surname finds her');
  assert.deepEqual(names(mentionMatches(MEMBERS, 'zz')), []);
  assert.deepEqual(
    names(mentionMatches(MEMBERS, '', { me: 1 })),
    ['bea', 'bob', 'carl'],
    'everyone but me, by name',
  );
  assert.equal(mentionMatches(MEMBERS, '', { limit: 2 }).length, 2);
});

test('picking puts "@username " in place of what was typed and the caret after it', () => {
  const text = 'thanks @bo';
  const picked = insertMention(text, mentionAt(text, text.length), 'bob');
  assert.deepEqual(picked, { text: 'thanks @bob ', caret: 12 });
  const mid = 'ask @b about it';
  const again = insertMention(mid, mentionAt(mid, 6), 'bea');
  assert.equal(again.text, 'ask @bea about it', 'the space after it is reused');
  assert.equal(again.caret, 9);
});

test('a comment highlights only the mentions the server recognised', () => {
  const parts = mentionParts('@Bob, see @nobody and mail me@bob.com. Thanks @olive.', [
    'bob',
    'olive',
  ]);
  assert.deepEqual(parts, [
    { text: '@Bob', mention: 'bob' },
    { text: ', see @nobody and mail me@bob.com. Thanks ', mention: null },
    { text: '@olive', mention: 'olive' },
    { text: '.', mention: null },
  ]);
  assert.deepEqual(mentionParts('<b>@x</b>', []), [{ text: '<b>@x</b>', mention: null }]);
  assert.equal(
    mentionParts('a @bob b', ['bob'])
      .map((p) => p.text)
      .join(''),
    'a @bob b',
    'the text is kept whole',
  );
});

const T0 = '2025-06-10T07:00:00Z';
const T1 = '2025-06-10T07:04:00Z';
const activity = (id, count, read = false) => ({
  id,
  kind: 'task_activity',
  title: 'Activity on “Fix login”',
  data: { board: 7, task: 42, task_name: 'Fix login', count, items: [] },
  created_at: T0,
  read_at: read ? T0 : null,
});
const due = (id) => ({
  id,
  kind: 'due_today',
  title: `n${id}`,
  data: {},
  created_at: T0,
  read_at: null,
});
const push = (n) => ({ type: 'frame', frame: { ...n, type: 'notification' }, at: T1 });

test('a coalesced push replaces its notification in place, on top, counted once', () => {
  let state = S.fromPage({ unread: 3, results: [due(9), due(8), activity(5, 1)] });
  const grown = {
    ...activity(5, 2),
    data: {
      ...activity(5, 2).data,
      items: [{ what: 'comment', actor: { id: 2, username: 'bob' }, detail: { excerpt: 'hi' } }],
    },
  };
  state = S.apply(state, push(grown));
  assert.equal(state.unread, 3, 'the same notification, not a new one');
  assert.deepEqual(
    state.items.map((n) => n.id),
    [5, 9, 8],
  );
  assert.equal(state.items[0].data.count, 2);
  assert.equal(state.items[0].created_at, T0, 'created when it was');
  assert.equal(state.items[0].updated_at, T1, 'shown as recent as its newest part');
  assert.equal(S.summaryOf(state.items[0]), 'bob commented: “hi” (and 1 more)');
  assert.equal(S.apply(state, push(grown)), state, 'the same push twice changes nothing');

  // Marked read before the push reached the page (the server coalesced first): stays read.
  let read = S.fromPage({ unread: 0, results: [activity(5, 1, true)] });
  read = S.apply(read, push(activity(5, 2)));
  assert.equal(read.unread, 0);
  assert.ok(read.items[0].read_at);

  // A page that arrives after the push is brought up to date again, still counted once.
  const settled = S.settle({ unread: 3, results: [due(9), due(8), activity(5, 1)] }, [push(grown)]);
  assert.equal(settled.unread, 3);
  assert.equal(settled.items[0].id, 5);
  // Read all still covers it.
  const all = S.apply(settled, { type: 'readAll', upTo: 9, at: T1 });
  assert.equal(all.unread, 0);
});

test('mention and activity notifications link to their card and say what they are', () => {
  const mention = {
    id: 11,
    kind: 'mention',
    title: '',
    data: { board: 7, task: 42, task_name: 'Fix login', actor: { id: 1, username: 'olive' } },
  };
  assert.deepEqual(S.taskLinks(mention), [
    { href: '/boards/7/?task=42', name: 'Fix login', board: '' },
  ]);
  assert.equal(S.titleOf(mention), 'olive mentioned you on “Fix login”');
  assert.equal(S.kindOf(mention).icon, 'mention');
  assert.equal(S.kindOf(activity(1, 1)).label, 'Activity on a watched card');
  assert.equal(S.kindOf({ kind: 'new_kind' }).icon, 'bell', 'an unknown kind still shows');
  const moved = activity(1, 1);
  moved.data.items = [{ what: 'status', actor: { username: 'bob' }, detail: { from: 1, to: 2 } }];
  assert.equal(S.summaryOf(moved), 'bob moved it to In Progress');
});

const STATE = {
  sprints: { 3: { id: 3, name: 'Sprint 7' } },
  labels: { 5: { id: 5, name: 'bug' }, 6: { id: 6, name: 'ux' } },
};
const entry = (changes, extra = {}) => ({
  seq: 10,
  name: 'task.updated',
  actor: { id: 1, username: 'olive' },
  at: T0,
  changes,
  ...extra,
});

test('an activity entry reads as a sentence, with names for ids', () => {
  const say = (changes, extra) => activityText(entry(changes, extra), STATE);
  assert.equal(say({ status: [1, 2] }), 'olive changed status Not Started → In Progress');
  assert.equal(
    say({ sprint: [null, 3], assigned: ['bob', null] }),
    'olive changed sprint Backlog → Sprint 7; changed assignee bob → nobody',
  );
  assert.equal(say({ labels: [[5], [6]] }), 'olive added label ux; removed label bug');
  assert.equal(say({ description: ['a', 'b'] }), 'olive changed the description');
  assert.equal(
    say({ comment: [null, 'Looks good\nto me'] }, { name: 'comment.created' }),
    'olive commented: “Looks good to me”',
  );
  assert.equal(say({ comment: ['a', null] }), 'olive deleted a comment');
  assert.equal(
    say({ checklist: [null, 'Write tests'] }),
    'olive added “Write tests” to the checklist',
  );
  assert.equal(
    say({ checklist: ['Write tests', 'Write tests'], done: [false, true] }),
    'olive checked “Write tests”',
  );
  assert.equal(say({ deleted: [false, true] }), 'olive moved the card to the trash');
  assert.equal(
    say({ status: [2, 1] }, { reverts: 9 }),
    'olive changed status In Progress → Not Started (undoing change #9)',
  );
  assert.equal(
    activityText({ ...entry({ status: [1, 4] }), actor: null }, STATE).split(' ')[0],
    'Someone',
  );
});

test('the activity panel refreshes on events about its card only', () => {
  assert.ok(eventTouches({ name: 'task.updated', data: { id: 42 } }, 42));
  assert.ok(eventTouches({ name: 'task.moved', data: { task: { id: 42 } } }, 42));
  assert.ok(eventTouches({ name: 'comment.created', data: { id: 1, task: 42 } }, 42));
  assert.ok(eventTouches({ name: 'label.deleted', data: { id: 5, tasks: [41, 42] } }, 42));
  assert.ok(eventTouches({ name: 'sprint.started', data: { tasks: [{ id: 42 }] } }, 42));
  assert.ok(!eventTouches({ name: 'comment.created', data: { id: 42, task: 7 } }, 42));
  assert.ok(!eventTouches({ name: 'sprint.updated', data: { id: 42 } }, 42), 'a sprint of that id');
});
