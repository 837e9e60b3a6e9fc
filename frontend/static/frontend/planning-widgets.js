// Scrum planning on the board page (SPEC section 11): the widgets board.js places in the
// toolbar for starting and closing sprints, the planning view and the reports panel.

import { planningViewWidget } from './planning-view.js';
import { reportsPanelWidget } from './reports-panel.js';
import { sprintLifecycleWidget } from './sprint-lifecycle.js';

// ctx: the management context board.js hands every widget (boardId, apply, navigate, ...)
export function planningWidgets(ctx) {
  return [sprintLifecycleWidget(ctx), planningViewWidget(ctx), reportsPanelWidget(ctx)];
}
