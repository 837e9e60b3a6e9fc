// The task dialog's fields (name, description, assignee, due, points, labels, column), each with a live
// note under it for what someone else changed there while the dialog is open. Values in and
// out are task-edit.js's strings; this module knows the DOM, not the rules.

import { labelPicker } from './label-picker.js';
import { field, h, showErrors } from './ui.js';

// labels: the board's labels by id (state.labels); setLabels() follows later changes.
export class TaskFields {
  constructor(members, columns, values, labels = {}) {
    this.columns = columns;
    this.inputs = {
      name: h('input', { name: 'name', required: true, maxlength: 100 }),
      description: h('textarea', { name: 'description', rows: 4 }),
      assigned: h(
        'select',
        { name: 'assigned' },
        h('option', { value: '' }, 'Unassigned'),
        members.map(memberOption),
      ),
      due: h('input', { name: 'due', type: 'date' }),
      // Story points: empty means not estimated; the server allows 0–999, one decimal.
      points: h('input', {
        name: 'points',
        type: 'number',
        min: '0',
        max: '999',
        step: '0.1',
        inputmode: 'decimal',
      }),
      labels: labelPicker(labels),
      column: h(
        'select',
        { name: 'column' },
        columns.map((c) => h('option', { value: c.key }, c.title)),
      ),
    };
    this.notes = {};
    this.write(values);
  }

  // The labelled field, with a polite live region under it (empty until someone changes it).
  field(label, key) {
    const input = this.inputs[key];
    // A group of toggles has a legend, not a <label for>.
    const box = key === 'labels' ? h('div', { class: 'field' }, input) : field(label, input);
    const note = h('div', {
      class: 'remote-note',
      id: `${input.id}-remote`,
      'aria-live': 'polite',
    });
    input.setAttribute('aria-describedby', note.id);
    this.notes[key] = note;
    box.append(note);
    return box;
  }

  read() {
    const { inputs } = this;
    return {
      name: inputs.name.value.trim(),
      description: inputs.description.value,
      assigned: inputs.assigned.value,
      due: inputs.due.value,
      points: inputs.points.value.trim(),
      labels: inputs.labels.value,
      column: inputs.column.value,
    };
  }

  // A value a select does not offer (an assignee who joined after the dialog opened, a task
  // moved to another sprint) gets an option: otherwise the select would read back '' and
  // the next save would "change" it.
  write(values) {
    for (const [key, value] of Object.entries(values)) {
      const input = this.inputs[key];
      if (input.tagName === 'SELECT' && ![...input.options].some((o) => o.value === value)) {
        const label = key === 'column' ? 'In another sprint' : value;
        input.append(h('option', { value }, label));
      }
      input.value = value;
    }
  }

  // The API's messages under the fields they are about (a column is the server's sprint and
  // status), anything else in `box` at the top; body null clears them.
  showErrors(box, body) {
    if (!body) return showErrors(box, this.inputs, null);
    const mapped = { ...body };
    const column = [mapped.sprint, mapped.status].flat().filter(Boolean);
    delete mapped.sprint;
    delete mapped.status;
    if (column.length) mapped.column = column;
    return showErrors(box, this.inputs, mapped);
  }

  setDisabled(disabled) {
    for (const input of Object.values(this.inputs)) input.disabled = disabled;
  }

  focus(key = 'name') {
    if (key === 'labels') this.inputs.labels.focusFirst();
    else this.inputs[key].focus();
  }

  // The board's labels changed while the dialog is open (state.labels).
  setLabels(labels) {
    this.inputs.labels.setLabels(labels);
  }

  clearNotes() {
    for (const note of Object.values(this.notes)) {
      note.replaceChildren();
      delete note.dataset.kind;
    }
  }

  // Someone else's value is now in the field (the user had not touched it).
  noteChange(key, who) {
    this.notes[key].replaceChildren(`Changed by ${who || 'someone else'}`);
    this.notes[key].dataset.kind = 'applied';
  }

  // The user is editing this field: their input stays, the other value is offered.
  noteClash(key, who, value, onTake) {
    const take = () => {
      this.write({ [key]: value });
      this.noteChange(key, who);
      this.focus(key);
      onTake();
    };
    this.notes[key].replaceChildren(
      `${who || 'Someone else'} changed this to “${this.display(key, value)}”. `,
      h('button', { type: 'button', class: 'link-button', onclick: take }, 'Use theirs'),
    );
    this.notes[key].dataset.kind = 'clash';
  }

  display(key, value) {
    if (key === 'column') {
      const column = this.columns.find((c) => c.key === value);
      return column ? column.title : 'another sprint';
    }
    if (key === 'assigned') return value || 'Unassigned';
    if (key === 'due') return value || 'no due date';
    if (key === 'points') return value === '' || value == null ? 'not estimated' : `${value} pt`;
    if (key === 'labels') return this.inputs.labels.names(value).join(', ') || 'no labels';
    return value === '' || value == null ? '—' : String(value);
  }
}

function memberOption(m) {
  const label = m.user.full_name ? `${m.user.full_name} (${m.user.username})` : m.user.username;
  return h('option', { value: m.user.username }, label);
}
