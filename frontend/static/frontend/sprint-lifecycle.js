// "Start sprint" and "Close sprint…" beside the sprint picker (SPEC 11). Start is offered
// for a planned sprint and disabled, with the reason next to it, while another sprint is
// active (the server refuses it anyway: one active sprint per board). Closing asks where
// the unfinished cards go; the server moves them in the same transaction as the close.

import * as api from './api.js';
import { openModal } from './modal.js';
import {
  applyLifecycle,
  carryTargets,
  pointsText,
  sprintLabel,
  startBlocker,
  sumPoints,
  unfinished,
} from './planning-math.js';
import { announce, errorLines, field, h, showErrors, toast } from './ui.js';

// ctx: { apply(change), pickSprint(id) } (board.js)
export function sprintLifecycleWidget(ctx) {
  let state = null;
  let sprintId = null;
  const reason = h('span', {
    class: 'start-reason muted',
    id: 'start-sprint-reason',
    hidden: true,
  });
  const start = h(
    'button',
    {
      type: 'button',
      class: 'btn',
      id: 'start-sprint',
      hidden: true,
      onclick: () => startSprint(),
    },
    'Start',
    h('span', { class: 'wide-only' }, ' sprint'),
  );
  const close = h(
    'button',
    { type: 'button', class: 'btn', id: 'close-sprint', hidden: true, onclick: () => openClose() },
    'Close',
    h('span', { class: 'wide-only' }, ' sprint'),
    '…',
  );
  const root = h('span', { class: 'sprint-lifecycle' }, start, reason, close);

  async function startSprint() {
    const sprint = state.sprints[sprintId];
    start.disabled = true;
    try {
      const body = await api.post(`/api/sprints/${sprint.id}/start/`, { version: sprint.version });
      ctx.apply((s) => applyLifecycle(s, body));
      announce(`${sprintLabel(sprint)} started`);
    } catch (error) {
      toast({
        title: 'The sprint did not start',
        body: errorLines(error.body).join(' '),
        kind: 'error',
      });
      if (error.body && error.body.current) ctx.apply((s) => applyLifecycle(s, error.body.current));
    } finally {
      start.disabled = false;
      render(state, sprintId);
    }
  }

  function openClose() {
    openCloseDialog({ state, sprint: state.sprints[sprintId], ctx });
  }

  function render(next, selected) {
    state = next;
    sprintId = selected;
    const sprint = selected != null ? next.sprints[selected] : null;
    const write = next.can.write && sprint;
    start.hidden = !(write && sprint.state === 'planned');
    close.hidden = !(write && sprint.state === 'active');
    const blocker = !start.hidden ? startBlocker(next, selected) : null;
    // Disabled with its reason on screen and linked, so a screen reader hears why too.
    start.disabled = Boolean(blocker);
    reason.hidden = !blocker;
    reason.textContent = blocker || '';
    if (blocker) start.setAttribute('aria-describedby', reason.id);
    else start.removeAttribute('aria-describedby');
    if (sprint) {
      start.setAttribute('aria-label', `Start sprint ${sprintLabel(sprint)}`);
      close.setAttribute('aria-label', `Close sprint ${sprintLabel(sprint)}…`);
    }
  }

  return { root, render };
}

// The close dialog: how much is unfinished and where it goes (the backlog or a sprint that
// still takes tasks); a 400 (that sprint closed meanwhile, say) shows under the choice.
function openCloseDialog({ state, sprint, ctx }) {
  const left = unfinished(state, sprint.id);
  const targets = carryTargets(state, sprint.id);
  const carry = h(
    'select',
    { name: 'carry_to' },
    targets.map((t) => h('option', { value: t.id == null ? '' : String(t.id) }, t.label)),
  );
  // The next planned sprint is the usual home of unfinished work.
  if (targets.length > 1) carry.value = String(targets[1].id);
  const errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary' }, 'Close sprint');
  const inputs = left.length ? { carry_to: carry } : {};
  const summary = left.length
    ? `${left.length} unfinished card${left.length === 1 ? '' : 's'} (${pointsText(sumPoints(left))}).`
    : 'Every card is done.';
  const submit = async (event) => {
    event.preventDefault();
    showErrors(errors, inputs, null);
    save.disabled = true;
    const to = carry.value ? Number(carry.value) : null;
    try {
      const body = await api.post(`/api/sprints/${sprint.id}/close/`, {
        carry_to: to,
        version: sprint.version,
      });
      ctx.apply((s) => applyLifecycle(s, body));
      dialog.close();
      announce(`${sprintLabel(sprint)} closed`);
      if (to != null && left.length) ctx.pickSprint(to);
    } catch (error) {
      showErrors(errors, inputs, error.body || { detail: error.message });
    } finally {
      save.disabled = false;
    }
  };
  const dialog = h(
    'dialog',
    {
      class: 'close-sprint-dialog',
      'aria-labelledby': 'close-sprint-title',
      'aria-describedby': 'close-sprint-text',
    },
    h(
      'form',
      { class: 'close-sprint-form', onsubmit: submit },
      h('h2', { id: 'close-sprint-title' }, `Close “${sprintLabel(sprint)}”`),
      h('p', { id: 'close-sprint-text' }, summary, ' Done cards stay with the closed sprint.'),
      errors,
      left.length ? field('Move unfinished cards to', carry) : null,
      h(
        'div',
        { class: 'dialog-actions' },
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn', onclick: () => dialog.close() }, 'Cancel'),
        save,
      ),
    ),
  );
  openModal(dialog);
  (left.length ? carry : save).focus();
  return dialog;
}
