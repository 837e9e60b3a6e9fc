// Scrum planning on the board page (SPEC section 11): the widgets board.js places in the
// toolbar for starting and closing sprints, the planning view and the reports panel.

// ctx: the management context board.js hands every widget (boardId, apply, navigate, ...)
export function planningWidgets(ctx) {
  void ctx;
  return [];
}
