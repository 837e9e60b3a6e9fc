// Personal notifications (the daily "due today" push) as toasts that stay until read.

import * as api from './api.js';
import { h, toast } from './ui.js';

const shown = new Set();

export function showNotification(frame) {
  // The same push can reach a tab twice (board socket and /ws/me/ during a page switch).
  if (shown.has(frame.id)) return;
  shown.add(frame.id);
  const tasks = (frame.data && frame.data.tasks) || [];
  const body = tasks.length
    ? h(
        'ul',
        { class: 'toast-tasks' },
        tasks
          .slice(0, 5)
          .map((t) =>
            h(
              'li',
              {},
              h('a', { href: `/boards/${t.board.id}/?task=${t.id}`, 'data-nav': true }, t.name),
              ` · ${t.board.name}`,
            ),
          ),
      )
    : null;
  toast({
    title: frame.title || 'Notification',
    body,
    kind: 'notification',
    actions: [
      {
        label: 'Mark read',
        run: async (close) => {
          close();
          await api.post(`/api/notifications/${frame.id}/read/`, {}).catch(() => null);
        },
      },
    ],
  });
}
