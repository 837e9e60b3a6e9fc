// The profile dialog's "Calendar feed" section: a secret iCalendar URL of the user's assigned
// tasks with a due date (POST /api/auth/me/calendar/ issues or rotates it, DELETE turns it
// off). The URL is shown once, with a copy button: the server keeps no way to show it again.

import * as api from './api.js';
import { h, toast } from './ui.js';
import { secretOnce } from './secret-once.js';

const PATH = '/api/auth/me/calendar/';

export function calendarSection() {
  const shown = h('div', { class: 'calendar-fresh' });
  const error = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const issue = h('button', { type: 'button', class: 'btn' }, 'Create feed URL');
  const off = h('button', { type: 'button', class: 'btn btn-danger' }, 'Turn off');

  async function run(button, work) {
    error.hidden = true;
    button.disabled = true;
    try {
      await work();
    } catch (failure) {
      const body = failure.body || {};
      error.textContent = body.detail || failure.message || 'Something went wrong.';
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  issue.addEventListener('click', () =>
    run(issue, async () => {
      const { url } = await api.post(PATH, {});
      shown.replaceChildren(
        secretOnce({
          label: 'Your calendar feed URL',
          value: url,
          note: "Copy it into your calendar app now: you won't see it again. Rotating makes a new one and stops this one.",
        }),
      );
      issue.textContent = 'Rotate URL';
      shown.querySelector('input').focus();
    }),
  );
  off.addEventListener('click', () =>
    run(off, async () => {
      await api.del(PATH);
      shown.replaceChildren();
      issue.textContent = 'Create feed URL';
      toast({ title: 'Calendar feed turned off', kind: 'success' });
    }),
  );

  return h(
    'section',
    { class: 'calendar-section', 'aria-labelledby': 'calendar-title' },
    h('h3', { id: 'calendar-title' }, 'Calendar feed'),
    h(
      'p',
      { class: 'hint' },
      'Subscribe to your assigned tasks with a due date, and your sprints’ ends, from any calendar app.',
    ),
    error,
    shown,
    h('div', { class: 'dialog-actions' }, issue, off),
  );
}
