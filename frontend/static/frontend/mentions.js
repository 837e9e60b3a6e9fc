// @mentions as plain data, apart from the DOM so `node --test` covers them: where the caret
// is typing one, which members it may mean, what picking one does to the text, and how a
// stored comment splits into text and mentions for highlighting.
//
// The server decides who was mentioned (Comment.mentions, board members only); the page only
// highlights those names, so a word that merely looks like a mention stays plain text.

// Django's username characters; a mention's trailing full stop ends the sentence, not the name.
const NAME = /[\w.@+-]/u;
const TYPED = /^[\w.+-]*$/u;
const IN_TEXT = /@([\w.@+-]+)/gu;
const TRAILING = /[.,;:!?]+$/u;
export const LIMIT = 8;

// The mention being typed at `caret`: {start (index of "@"), end, query} or null. The "@" must
// open a word (start of text, after a space or an opening bracket), so "ann@example.com" is no
// mention; the query runs from after the "@" to the caret.
export function mentionAt(text, caret) {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (!TYPED.test(query)) return null;
  const prev = at > 0 ? before[at - 1] : '';
  if (prev && !/[\s([{"'“‘]/u.test(prev)) return null;
  let end = caret;
  while (end < text.length && NAME.test(text[end]) && text[end] !== '@') end += 1;
  return { start: at, end, query };
}

const fold = (s) => String(s || '').toLocaleLowerCase();

// The members a query may mean, best first: a username that starts with it, then a word of
// the full name that does; each group by name. `me` (a user id) is left out: mentioning
// oneself notifies no one.
export function mentionMatches(members, query, { me = null, limit = LIMIT } = {}) {
  const q = fold(query);
  const scored = [];
  for (const member of members || []) {
    const user = member.user || member;
    if (!user || !user.username || user.id === me) continue;
    const byName = fold(user.username).startsWith(q);
    const words = fold(user.full_name).split(/\s+/u);
    if (!byName && !words.some((w) => w.startsWith(q))) continue;
    scored.push({ user, rank: byName ? 0 : 1, key: fold(user.full_name || user.username) });
  }
  scored.sort((a, b) => a.rank - b.rank || a.key.localeCompare(b.key));
  return scored.slice(0, limit).map((s) => s.user);
}

// The text with the mention at `found` (mentionAt) replaced by "@username " and the caret
// after it; a space already after the name is reused, not doubled.
export function insertMention(text, found, username) {
  const rest = text.slice(found.end);
  const spaced = rest.startsWith(' ') ? rest : ` ${rest}`;
  const head = `${text.slice(0, found.start)}@${username}`;
  return { text: head + spaced, caret: head.length + 1 };
}

// A comment's body as [{text, mention}] pieces: `mention` is the username (as the server
// spelled it in `mentions`) where an "@name" in the text is one of them, else null.
export function mentionParts(body, mentions) {
  const known = new Map((mentions || []).map((m) => [fold(m), m]));
  const parts = [];
  let last = 0;
  const text = String(body || '');
  for (const match of text.matchAll(IN_TEXT)) {
    const at = match.index;
    const prev = at > 0 ? text[at - 1] : '';
    const name = match[1].replace(TRAILING, '');
    const user = known.get(fold(name));
    if (!user || (prev && NAME.test(prev))) continue;
    if (at > last) parts.push({ text: text.slice(last, at), mention: null });
    parts.push({ text: `@${name}`, mention: user });
    last = at + 1 + name.length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), mention: null });
  return parts;
}
