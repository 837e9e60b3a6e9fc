// The card's watch (SPEC section 12). Stub: its slice fills it in (see card-sections.js).

export function watchSection(ctx) {
  void ctx;
  return null;
}
