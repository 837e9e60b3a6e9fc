// The planning view: the backlog next to the selected sprint, with their totals, in a modal
// dialog. Backlog cards are dragged into the sprint, or added with their "Add to sprint"
// button (the keyboard's and the phone's way); either is one POST /plan/, one atomic
// `sprint.planned` event. The lists follow the board live while the dialog is open.

import * as api from './api.js';
import { pointsBadge } from './cards.js';
import { openModal } from './modal.js';
import { applyLifecycle, planningLists, pointsText, sprintLabel } from './planning-math.js';
import { STATUSES } from './state.js';
import { errorLines, h } from './ui.js';

const STATUS = Object.fromEntries(STATUSES.map((s) => [s.id, s.label]));

// ctx: { apply(change), state() } (board.js)
export function planningViewWidget(ctx) {
  let view = null;
  const button = h(
    'button',
    { type: 'button', class: 'btn', id: 'plan-sprint', hidden: true, onclick: () => open() },
    'Plan',
    h('span', { class: 'wide-only' }, ' sprint'),
  );
  let selected = null;

  function open() {
    view = new PlanningView(ctx, selected);
    view.dialog.addEventListener('close', () => (view = null));
  }

  function render(state, sprintId) {
    selected = sprintId;
    const sprint = sprintId != null ? state.sprints[sprintId] : null;
    button.hidden = !(state.can.write && sprint && sprint.state !== 'closed');
    if (sprint) button.setAttribute('aria-label', `Plan sprint ${sprintLabel(sprint)}`);
    if (view) view.render(state);
  }

  return { root: button, render };
}

class PlanningView {
  constructor(ctx, sprintId) {
    this.ctx = ctx;
    this.sprintId = sprintId;
    this.dragged = null;
    this.errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.title = h('h2', { id: 'planning-title' });
    this.backlog = listSection('plan-backlog', 'Backlog');
    this.sprint = listSection('plan-sprint', 'Sprint');
    this.dialog = h(
      'dialog',
      { class: 'planning-dialog', 'aria-labelledby': 'planning-title' },
      h(
        'div',
        { class: 'planning-head' },
        this.title,
        h('button', { type: 'button', class: 'btn', onclick: () => this.dialog.close() }, 'Done'),
      ),
      h(
        'p',
        { class: 'muted planning-help', id: 'planning-help' },
        'Drag backlog cards into the sprint, or use a card’s “Add to sprint” button.',
      ),
      this.errors,
      h('div', { class: 'planning-lists' }, this.backlog.section, this.sprint.section),
    );
    this.listen();
    this.render(ctx.state());
    openModal(this.dialog);
    const first = this.backlog.list.querySelector('button');
    (first || this.dialog.querySelector('button')).focus();
  }

  listen() {
    const { backlog, sprint } = this;
    backlog.list.addEventListener('dragstart', (event) => {
      const li = event.target.closest && event.target.closest('li[data-task-id]');
      if (!li) return;
      this.dragged = Number(li.dataset.taskId);
      event.dataTransfer.effectAllowed = 'move';
      event.dataTransfer.setData('text/plain', String(this.dragged));
    });
    backlog.list.addEventListener('dragend', () => this.endDrag());
    sprint.section.addEventListener('dragover', (event) => {
      if (this.dragged === null) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = 'move';
      sprint.section.classList.add('drop-target');
    });
    sprint.section.addEventListener('dragleave', (event) => {
      if (!sprint.section.contains(event.relatedTarget))
        sprint.section.classList.remove('drop-target');
    });
    sprint.section.addEventListener('drop', (event) => {
      if (this.dragged === null) return;
      event.preventDefault();
      const id = this.dragged;
      this.endDrag();
      this.plan([id]);
    });
  }

  endDrag() {
    this.dragged = null;
    this.sprint.section.classList.remove('drop-target');
    if (this.held) this.render(this.held);
  }

  // Replacing the dragged card mid-drag would cancel the drag: renders wait for its end.
  render(state) {
    this.held = this.dragged === null ? null : state;
    if (this.held) return;
    this.state = state;
    const sprint = state.sprints[this.sprintId];
    if (!sprint) {
      this.title.textContent = 'This sprint was deleted';
      this.backlog.section.hidden = this.sprint.section.hidden = true;
      return;
    }
    const name = sprintLabel(sprint);
    const takes = state.can.write && sprint.state !== 'closed';
    this.title.textContent = `Plan “${name}”`;
    const { backlog, sprint: planned, totals } = planningLists(state, sprint.id);
    const focused = document.activeElement && document.activeElement.dataset.taskId;
    this.backlog.fill(
      totals.backlog,
      backlog.map((t) => this.backlogItem(t, takes)),
    );
    this.sprint.heading.textContent = name;
    this.sprint.fill(totals.sprint, planned.map(sprintItem));
    // A re-render (someone else's change) keeps the focused "Add" button focused.
    const again = focused && this.dialog.querySelector(`button[data-task-id="${focused}"]`);
    if (again) again.focus();
  }

  backlogItem(task, takes) {
    const add = h(
      'button',
      {
        type: 'button',
        class: 'btn btn-small',
        dataset: { taskId: task.id },
        'aria-label': `Add to sprint: ${task.name}`,
        hidden: !takes,
        onclick: () => this.add(task.id),
      },
      'Add to sprint',
    );
    return h(
      'li',
      { class: 'plan-card', draggable: takes ? 'true' : 'false', dataset: { taskId: task.id } },
      h('span', { class: 'plan-name' }, task.name),
      pointsBadge(task),
      add,
    );
  }

  // Focus goes on to the next backlog card (this one leaves the list), else to the sprint.
  add(taskId) {
    const li = this.backlog.list.querySelector(`li[data-task-id="${taskId}"]`);
    const next = li && (li.nextElementSibling || li.previousElementSibling);
    const target = next ? next.querySelector('button') : this.sprint.heading;
    this.plan([taskId]).then(() => {
      if (target && target.isConnected) target.focus();
      else this.sprint.heading.focus();
    });
  }

  async plan(ids) {
    this.errors.hidden = true;
    try {
      const body = await api.post(`/api/sprints/${this.sprintId}/plan/`, { tasks: ids });
      this.ctx.apply((s) => applyLifecycle(s, body));
    } catch (error) {
      this.errors.replaceChildren(...errorLines(error.body).map((line) => h('div', {}, line)));
      this.errors.hidden = false;
    }
  }
}

function listSection(cls, title) {
  const id = `${cls}-heading`;
  const heading = h('h3', { id, tabindex: '-1' }, title);
  const total = h('p', { class: 'plan-total muted', id: `${cls}-total` });
  const list = h('ol', {
    class: 'plan-cards',
    'aria-labelledby': id,
    'aria-describedby': total.id,
  });
  const section = h(
    'section',
    { class: `plan-list ${cls}`, 'aria-labelledby': id },
    heading,
    total,
    list,
  );
  return {
    section,
    heading,
    list,
    fill({ tasks, points }, items) {
      total.textContent = `${tasks} card${tasks === 1 ? '' : 's'} · ${pointsText(points)}`;
      list.replaceChildren(
        ...(items.length ? items : [h('li', { class: 'plan-empty muted' }, 'No cards.')]),
      );
    },
  };
}

function sprintItem(task) {
  return h(
    'li',
    { class: 'plan-card', dataset: { taskId: task.id } },
    h('span', { class: 'plan-name' }, task.name),
    pointsBadge(task),
    h('span', { class: 'plan-status muted' }, STATUS[task.status] || ''),
  );
}
