// Pure helpers for the account views (reset link, time zones, profile edits): no DOM, so
// node --test covers them (frontend/tests/account.test.mjs).

const RESET_PATH = /^\/reset-password\/?$/;
const LEGACY_RESET_HASH = /^#\/reset-password\/?(\?|$)/;

// uid and token from a password-reset link, or null when the location is not one.
// The mail's link is /reset-password/#uid=..&token=.. (the fragment never reaches a server
// log); a query string works too, and links mailed before the route existed
// (/#/reset-password?uid=..) still open the view. Missing values come back as ''.
export function resetLinkParams({ pathname = '/', search = '', hash = '' } = {}) {
  let sources;
  if (RESET_PATH.test(pathname)) {
    sources = [new URLSearchParams(hash.replace(/^#/, '')), new URLSearchParams(search)];
  } else if (LEGACY_RESET_HASH.test(hash)) {
    sources = [new URLSearchParams(hash.split('?')[1] || '')];
  } else {
    return null;
  }
  const pick = (key) => sources.map((s) => s.get(key)).find((v) => v) || '';
  return { uid: pick('uid'), token: pick('token') };
}

// "UTC+05:30" for a zone at a moment ('' if the runtime does not know the zone).
export function utcOffset(zone, date = new Date()) {
  try {
    const parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      timeZoneName: 'longOffset',
    }).formatToParts(date);
    const name = (parts.find((p) => p.type === 'timeZoneName') || {}).value || '';
    const offset = name.replace(/^GMT/, '');
    return `UTC${offset || '+00:00'}`;
  } catch {
    return '';
  }
}

// The zones for a <select>, grouped by region: [{group, zones: [{value, label}]}], UTC first
// (ungrouped, group ''). `supported` is Intl.supportedValuesOf('timeZone') (it leaves out UTC
// and aliases); `current` is always offered, so a profile saved with an alias the browser does
// not list (e.g. US/Eastern, valid for the server) is shown and kept as it is.
export function zoneGroups(supported, current, date = new Date()) {
  const all = new Set(['UTC', ...(supported || [])]);
  if (current) all.add(current);
  const groups = new Map();
  for (const zone of [...all].sort()) {
    const slash = zone.indexOf('/');
    const group = slash < 0 ? '' : zone.slice(0, slash);
    const place = (slash < 0 ? zone : zone.slice(slash + 1))
      .replaceAll('_', ' ')
      .replaceAll('/', ' / ');
    const offset = utcOffset(zone, date);
    const label = offset && place !== 'UTC' ? `${place} (${offset})` : place;
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group).push({ value: zone, label });
  }
  const ordered = [...groups.keys()].sort((a, b) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b),
  );
  return ordered.map((group) => ({ group, zones: groups.get(group) }));
}

// Only what the user changed, so a PATCH never rewrites a field someone else just saved
// (e.g. an admin fixing the email) with the value the dialog was opened with.
export function profilePatch(original, values) {
  const patch = {};
  for (const [key, value] of Object.entries(values)) {
    const next = typeof value === 'string' ? value.trim() : value;
    if (next !== original[key]) patch[key] = next;
  }
  return patch;
}

// The new password twice: a typo here would lock the user out, so it is caught before asking.
export function passwordMismatch(password, confirmation) {
  return password !== confirmation ? { confirm: ['The two passwords differ.'] } : null;
}

// The body of POST /api/auth/tokens/ from the create form's values: boards null (every
// board) unless some are ticked, no expiry unless one is chosen.
export function tokenRequest({ name, scope, boards = [], expiresInDays = '' }) {
  const ids = boards.map(Number).filter((id) => Number.isInteger(id) && id > 0);
  const days = Number(expiresInDays);
  return {
    name: String(name || '').trim(),
    scope: scope === 'write' ? 'write' : 'read',
    boards: ids.length ? ids : null,
    ...(Number.isInteger(days) && days > 0 ? { expires_in_days: days } : {}),
  };
}

// "Never", "today"/"in 3 days"/"3 days ago" for a timestamp, relative to `now`.
export function relativeDay(iso, now = new Date(), never = 'Never') {
  if (!iso) return never;
  const days = Math.round((new Date(iso) - now) / 86_400_000);
  if (days === 0) return 'today';
  return days > 0
    ? `in ${days} day${days === 1 ? '' : 's'}`
    : `${-days} day${days === -1 ? '' : 's'} ago`;
}

// What the token list shows of one token (names of its boards looked up in `boardNames`).
export function tokenSummary(token, boardNames = new Map(), now = new Date()) {
  const expired = Boolean(token.expires_at) && new Date(token.expires_at) <= now;
  const boards = token.boards
    ? token.boards.map((id) => boardNames.get(id) || `board ${id}`).join(', ')
    : 'All your boards';
  return {
    title: token.name,
    prefix: `rs_pat_${token.prefix}…`,
    scope: token.scope === 'write' ? 'Read and write' : 'Read only',
    boards,
    lastUsed: token.last_used_at ? relativeDay(token.last_used_at, now) : 'Never used',
    expires: expired ? 'Expired' : relativeDay(token.expires_at, now, 'Never expires'),
    expired,
  };
}
