// The parts of an open card below its fields: each a factory the task dialog calls once it
// shows an existing task, in this order.
//
// factory(ctx) -> section | null, where ctx is
//   { task (the row when opened), boardId, state() (the board state), canWrite(), me() (user
//     id), close() (the dialog's) }
// and a section is
//   { root (an element), update?(task, state) (a newer row or state), events?(applied)
//     (events the board just applied, in seq order; keep those of ctx.task.id),
//     close?() (the dialog closed: stop timers, drop listeners) }

import { checklistSection } from './card-checklist.js';
import { commentsSection } from './card-comments.js';
import { activitySection } from './card-activity.js';
import { watchSection } from './card-watch.js';

export const cardSections = [watchSection, checklistSection, commentsSection, activitySection];
