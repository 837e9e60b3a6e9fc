// The card's checklist (SPEC section 12). Stub: its slice fills it in (see card-sections.js).

export function checklistSection(ctx) {
  void ctx;
  return null;
}
