// "Edit sprint" beside the sprint picker, for members who may write: the sprint dialog in
// edit mode (name, start, end, goal; delete), with the version of the sprint as it was
// drawn. It also marks each sprint's state (planned, active, closed) in the picker.

import { withoutSprint } from './manage-state.js';
import { openSprintDialog } from './sprint-dialog.js';
import { applyLocalSprint } from './state.js';
import { announce, h } from './ui.js';

// ctx: { boardId, apply(change) } (board.js)
export function sprintToolsWidget(ctx) {
  let state = null;
  let sprintId = null;
  const button = h(
    'button',
    { type: 'button', class: 'btn', id: 'edit-sprint', hidden: true, onclick: open },
    'Edit sprint',
  );

  function open() {
    const sprint = state && state.sprints[sprintId];
    if (!sprint) return;
    const cards = Object.values(state.tasks).filter((t) => t.sprint === sprint.id).length;
    openSprintDialog({
      boardId: ctx.boardId,
      sprint,
      timeZone: state.board.timezone,
      taskCount: cards,
      onSaved: (saved) => ctx.apply((s) => applyLocalSprint(s, saved)),
      onDeleted: (id) => {
        ctx.apply((s) => withoutSprint(s, id));
        announce('Sprint deleted: its cards are in the backlog');
      },
    });
  }

  function render(next, selected) {
    state = next;
    sprintId = selected;
    markStates(button, next);
    const sprint = selected != null ? next.sprints[selected] : null;
    button.hidden = !(next.can.write && sprint);
    if (sprint)
      button.setAttribute('aria-label', `Edit sprint ${sprint.name || 'Untitled sprint'}`);
  }

  return { root: button, render };
}

// The picker (board-view.js) redraws its options before the widgets render: each gets its
// sprint's state, so "which one is running" reads from the list itself.
function markStates(button, state) {
  const tools = button.closest('.board-tools');
  const picker = tools && tools.querySelector('#sprint-picker');
  if (!picker) return;
  for (const option of picker.options) {
    const sprint = state.sprints[option.value];
    const mark = sprint && sprint.state ? ` · ${sprint.state}` : '';
    if (mark && !option.textContent.endsWith(mark)) option.textContent += mark;
  }
}
