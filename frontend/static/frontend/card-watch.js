// The card's watch toggle (SPEC section 12): "Watch" / "Watching" (aria-pressed), read from
// and written to /api/tasks/{id}/watch/. Watchers hear of comments, moves and reassignment
// (a `task_activity` notification); reading the board is enough to watch, so viewers may.

import { eventTouches } from './activity-text.js';
import * as api from './api.js';
import { announce, h, toast } from './ui.js';

export function watchSection(ctx) {
  const path = `/api/tasks/${ctx.task.id}/watch/`;
  let watching = false;
  let busy = true;
  let loaded = false; // disabled until then; never while a toggle is sent (focus would drop)
  const button = h('button', {
    type: 'button',
    class: 'btn btn-small watch-toggle',
    'aria-pressed': 'false',
    title: 'Get a notification when someone comments, moves or reassigns this card',
    disabled: true,
    onclick: () => toggle(),
  });

  function show(value) {
    watching = value === true;
    button.setAttribute('aria-pressed', String(watching));
    button.textContent = watching ? 'Watching' : 'Watch';
    button.disabled = !loaded;
  }

  async function toggle() {
    if (busy) return;
    busy = true;
    show(!watching); // at once; the answer (or a failure) settles it
    try {
      const answer = await api.request('PUT', path, { watching });
      busy = false;
      show(answer && typeof answer.watching === 'boolean' ? answer.watching : watching);
      announce(watching ? 'Watching this card' : 'Not watching this card');
    } catch (error) {
      busy = false;
      show(!watching);
      toast({ title: 'Could not change watching', body: error.message, kind: 'error' });
    }
  }

  // busy meanwhile: a click waits for what the server says rather than racing it.
  async function load() {
    busy = true;
    try {
      const answer = await api.get(path);
      watching = answer.watching === true;
    } catch {
      // The toggle still works: a PUT's answer says what is true.
    }
    busy = false;
    loaded = true;
    show(watching);
  }

  // Commenting on the card, or being assigned it, makes one a watcher (unless one said no):
  // our own such change is read back, so the toggle says what the server decided.
  function events(applied) {
    const me = ctx.me();
    const ours = applied.some(
      (e) =>
        e.actor &&
        e.actor.id === me &&
        eventTouches(e, ctx.task.id) &&
        (e.name === 'comment.created' || e.name.startsWith('task.')),
    );
    if (ours && !busy) load();
  }

  show(false);
  load();
  return { root: h('div', { class: 'card-watch' }, button), events };
}
