// The card's comments (SPEC section 12). Stub: its slice fills it in (see card-sections.js).

export function commentsSection(ctx) {
  void ctx;
  return null;
}
