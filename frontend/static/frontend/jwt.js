// Reading a JWT's claims (never verifying them: the server does that) to plan refreshes.

export function claims(token) {
  const part = String(token).split('.')[1];
  if (!part) return null;
  const b64 = part
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(part.length / 4) * 4, '=');
  try {
    return JSON.parse(globalThis.atob(b64));
  } catch {
    return null;
  }
}

// Milliseconds until the page should refresh: a minute before expiry, or at 80% of the
// lifetime for short tokens, so a slow network never sends an expired token.
export function refreshDelay(token, nowMs) {
  const c = claims(token);
  if (!c || typeof c.exp !== 'number') return 0;
  const exp = c.exp * 1000;
  const iat = typeof c.iat === 'number' ? c.iat * 1000 : nowMs;
  const lead = Math.min(60_000, (exp - iat) * 0.2);
  return Math.max(0, exp - lead - nowMs);
}
