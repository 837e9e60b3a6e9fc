// The board's past on the board page (SPEC section 11): the board as of a past time, the
// trash, and undo of your own last change. One toolbar widget: two buttons (as-of-view.js,
// trash.js) and the undo toasts (undo.js), which hear every applied board event.

import { openAsOf } from './as-of-view.js';
import { openTrash } from './trash.js';
import { UndoOffers } from './undo.js';
import { h } from './ui.js';

// ctx: the management context board.js hands every widget (boardId, apply, navigate, ...)
export function historyWidgets(ctx) {
  let sprintId = null;
  let trash = null;
  const asOf = h(
    'button',
    { type: 'button', class: 'btn', id: 'board-as-of', onclick: () => openAsOf(ctx, sprintId) },
    'Board as of…',
  );
  const trashButton = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      id: 'board-trash',
      onclick: () => {
        trash = openTrash(ctx);
      },
    },
    'Trash',
  );
  const root = h('div', { class: 'history-tools' }, asOf, trashButton);
  const undo = new UndoOffers(ctx, root);

  function render(state, selected) {
    sprintId = selected;
    undo.remember(state);
  }

  function events(applied, state) {
    if (trash && trash.open) {
      for (const event of applied) {
        if (event.name === 'task.restored' && event.data) trash.restored(event.data.id);
        if (event.name === 'task.deleted') trash.deleted(event, undo.nameOf(event.data.id));
      }
    }
    undo.events(applied, state);
  }

  return [{ root, render, events }];
}
