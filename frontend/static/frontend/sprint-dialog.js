// Create or edit a sprint: name, start date (optional, not after the end), end date (not in
// the past, one sprint per end date per board), goal and description. An edit sends the version it started from: if someone changed
// the sprint meanwhile the server answers 409 with the sprint as it is now, which the dialog
// shows (and takes as the new base, so a second Save means "mine anyway"). Editing offers
// deleting too: its cards go back to the backlog (the API does that).

import * as api from './api.js';
import { confirmDialog } from './confirm-dialog.js';
import { todayIn } from './manage-state.js';
import { openModal } from './modal.js';
import { field, formatDate, h, showErrors, todayIso } from './ui.js';

// sprint: the row to edit (absent: a new one); timeZone: the board's, for "today";
// taskCount: its cards (for the delete warning); onDeleted(id) after a delete.
export function openSprintDialog(options) {
  return new SprintDialog(options).dialog;
}

class SprintDialog {
  constructor({ boardId, onSaved, sprint, timeZone, taskCount, onDeleted }) {
    Object.assign(this, { boardId, onSaved, sprint, taskCount, onDeleted, base: sprint });
    const today = timeZone ? todayIn(timeZone) : todayIso();
    this.errors = h('div', { class: 'form-error', role: 'alert', hidden: true });
    this.notice = h('div', { class: 'conflict', role: 'alert', hidden: true });
    this.inputs = {
      name: h('input', { name: 'name', maxlength: 100, placeholder: 'e.g. Sprint 4' }),
      start: h('input', { name: 'start', type: 'date' }),
      end: h('input', { name: 'end', type: 'date', required: true }),
      goal: h('textarea', { name: 'goal', rows: 2, maxlength: 500 }),
      description: h('textarea', { name: 'description', rows: 3 }),
    };
    // An ended sprint may be renamed without moving its end (rule 1 is about a new end).
    this.inputs.end.min = sprint && sprint.end < today ? sprint.end : today;
    if (sprint) this.fill(sprint);
    const label = sprint ? 'Save sprint' : 'Create sprint';
    this.save = h('button', { type: 'submit', class: 'btn btn-primary' }, label);
    this.dialog = h(
      'dialog',
      { class: 'sprint-dialog', 'aria-labelledby': 'sprint-dialog-title' },
      this.form(),
    );
    openModal(this.dialog);
    this.inputs.name.focus();
  }

  form() {
    const { inputs } = this;
    const remove = this.sprint
      ? h(
          'button',
          { type: 'button', class: 'btn btn-danger', onclick: () => this.askDelete() },
          'Delete sprint',
        )
      : null;
    return h(
      'form',
      { class: 'sprint-form', onsubmit: (event) => this.submit(event) },
      h('h2', { id: 'sprint-dialog-title' }, this.sprint ? 'Edit sprint' : 'New sprint'),
      this.notice,
      this.errors,
      field('Name', inputs.name),
      h(
        'div',
        { class: 'row row-top' },
        field('Starts on', inputs.start, 'Optional: set when the sprint starts.'),
        field('Ends on', inputs.end),
      ),
      field('Goal', inputs.goal, 'What the sprint is for, in a sentence (up to 500 characters).'),
      field('Description', inputs.description),
      h(
        'div',
        { class: 'dialog-actions' },
        remove,
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', class: 'btn', onclick: () => this.dialog.close() }, 'Cancel'),
        this.save,
      ),
    );
  }

  fill(row) {
    this.inputs.name.value = row.name || '';
    this.inputs.start.value = row.start || '';
    this.inputs.end.value = row.end;
    this.inputs.goal.value = row.goal || '';
    this.inputs.description.value = row.description || '';
  }

  values() {
    const { name, start, end, goal, description } = this.inputs;
    return {
      name: name.value.trim(),
      start: start.value || null,
      end: end.value,
      goal: goal.value.trim(),
      description: description.value,
    };
  }

  async submit(event) {
    event.preventDefault();
    showErrors(this.errors, this.inputs, null);
    this.notice.hidden = true;
    this.save.disabled = true;
    try {
      const saved = this.sprint
        ? await api.patch(`/api/sprints/${this.sprint.id}/`, {
            ...this.values(),
            version: this.base.version,
          })
        : await api.post('/api/sprints/', { board: this.boardId, ...this.values() });
      this.onSaved(saved);
      this.dialog.close();
    } catch (error) {
      if (error.status === 409) this.conflict(error.body);
      else showErrors(this.errors, this.inputs, error.body);
    } finally {
      this.save.disabled = false;
    }
  }

  // 409: what the sprint is now; its version is the base of the next save.
  conflict(body) {
    const now = body.current || {};
    this.base = now;
    this.onSaved(now);
    const useTheirs = () => {
      this.fill(now);
      this.notice.hidden = true;
    };
    this.notice.replaceChildren(
      h('h3', {}, 'Someone else changed this sprint'),
      h(
        'p',
        {},
        `Now: “${now.name || 'Untitled sprint'}”, ends ${formatDate(now.end)}. `,
        'Save again to keep your values, or use theirs.',
      ),
      h(
        'button',
        { type: 'button', class: 'btn btn-small', onclick: useTheirs },
        'Use their values',
      ),
    );
    this.notice.hidden = false;
  }

  askDelete() {
    const cards = this.taskCount === 1 ? '1 card goes' : `${this.taskCount || 0} cards go`;
    confirmDialog({
      title: `Delete “${this.base.name || 'Untitled sprint'}”?`,
      text: `Its ${cards} back to the backlog as Not Started; no card is deleted.`,
      confirm: 'Delete sprint',
      run: async () => {
        try {
          await api.del(`/api/sprints/${this.sprint.id}/`, this.base.version);
        } catch (error) {
          // Changed meanwhile: this dialog shows how; confirming again deletes that.
          if (error.status === 409) this.conflict(error.body);
          throw error;
        }
      },
      done: () => {
        this.dialog.close();
        if (this.onDeleted) this.onDeleted(this.sprint.id);
      },
    });
  }
}
