// The card's activity (SPEC section 12). Stub: its slice fills it in (see card-sections.js).

export function activitySection(ctx) {
  void ctx;
  return null;
}
