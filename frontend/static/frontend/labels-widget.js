// The board's labels: list, create, rename, recolour, delete (owners and members).
// Stub: the labels slice fills it in. A widget as board.js takes them: {root, render(state)}.

import { h } from './ui.js';

export function labelsWidget(ctx) {
  void ctx;
  return { root: h('span', { hidden: true }), render: () => {} };
}
