// Personal notifications (the daily "due today" push): every `notification` frame from
// either socket lands here. It goes into the inbox (the bell's count rises) and shows a toast
// that stays until read; "Mark read" on the toast and in the bell's list are the same action,
// and a notification read in the list takes its toast away.

import * as inbox from './inbox.js';
import * as S from './inbox-state.js';
import { h, toast } from './ui.js';

const shown = new Set();
const open = new Map(); // notification id -> close its toast

inbox.subscribe((state) => {
  // EMPTY: logged out. The next person at this screen must not see these tasks.
  const gone = state === S.EMPTY;
  for (const [id, close] of open) {
    if (gone || S.isRead(state, id)) {
      close();
      open.delete(id);
    }
  }
});

function taskList(frame) {
  const links = S.taskLinks(frame).slice(0, 5);
  if (!links.length) return null;
  return h(
    'ul',
    { class: 'toast-tasks' },
    links.map((l) =>
      h(
        'li',
        {},
        h('a', { href: l.href, 'data-nav': true }, l.name),
        l.board ? ` · ${l.board}` : '',
      ),
    ),
  );
}

export function showNotification(frame) {
  // The same push can reach a tab twice (board socket and /ws/me/ during a page switch).
  if (shown.has(frame.id)) return;
  shown.add(frame.id);
  inbox.receive(frame);
  const el = toast({
    title: frame.title || 'Notification',
    body: taskList(frame),
    kind: 'notification',
    actions: [
      {
        label: 'Mark read',
        run: (close) => {
          close();
          open.delete(frame.id);
          inbox.markRead(frame.id);
        },
      },
    ],
  });
  open.set(frame.id, () => el.remove());
}
