// Small DOM helpers. Text always goes in as text nodes (never innerHTML), so a task named
// "<img onerror=...>" is just a strange name.

import { hueOf, initials } from './state.js';

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'class') {
      el.className = value;
    } else if (key === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (key in el && typeof value !== 'string') {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? '' : value);
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function avatar(username, { size = 'md', title } = {}) {
  const el = h(
    'span',
    { class: `avatar avatar-${size}`, title: title || username, 'aria-hidden': 'true' },
    initials(username),
  );
  // Through CSSOM, not a style attribute: the page's CSP allows no inline styles.
  el.style.setProperty('--hue', String(hueOf(username)));
  return el;
}

export function announce(text) {
  const el = document.getElementById('announcer');
  if (!el) return;
  el.textContent = '';
  // A new text node each time, so screen readers repeat identical messages.
  setTimeout(() => {
    el.textContent = text;
  }, 30);
}

// kind: info | success | error | notification. Notifications stay until dismissed.
export function toast({ title, body, kind = 'info', actions = [], timeout = 5000 }) {
  const box = document.getElementById('toasts');
  const close = () => el.remove();
  const el = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('div', { class: 'toast-text' }, h('strong', {}, title), body ? h('div', {}, body) : null),
    h(
      'div',
      { class: 'toast-actions' },
      actions.map((a) =>
        h(
          'button',
          { type: 'button', class: 'btn btn-small', onclick: () => a.run(close) },
          a.label,
        ),
      ),
      h(
        'button',
        { type: 'button', class: 'btn-icon', 'aria-label': 'Dismiss', onclick: close },
        '×',
      ),
    ),
  );
  box.append(el);
  if (timeout && kind !== 'notification') setTimeout(close, timeout);
  return el;
}

// A required password input; `autocomplete` tells password managers which one it is.
export function passwordInput(name, autocomplete = 'new-password') {
  return h('input', { name, type: 'password', autocomplete, required: true });
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    input,
    hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null,
  );
}

// DRF errors are {field: [messages]} or {detail}: one readable line per message.
export function errorLines(body) {
  if (!body || typeof body !== 'object') return ['Something went wrong. Please try again.'];
  const lines = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'current') continue;
    const messages = Array.isArray(value) ? value : [value];
    const prefix = key === 'detail' || key === 'non_field_errors' ? '' : `${key}: `;
    for (const m of messages)
      lines.push(`${prefix}${typeof m === 'string' ? m : JSON.stringify(m)}`);
  }
  return lines.length ? lines : ['Something went wrong. Please try again.'];
}

// {field: [messages]} split into the fields a form shows and the rest (detail, token, ...).
export function splitErrors(body, names) {
  const fields = {};
  const rest = {};
  for (const [key, value] of Object.entries(body && typeof body === 'object' ? body : {})) {
    if (names.includes(key)) fields[key] = (Array.isArray(value) ? value : [value]).map(String);
    else rest[key] = value;
  }
  return { fields, rest };
}

// Messages under their fields (aria-invalid, aria-describedby), anything else in the form's
// alert box; focus goes to the first invalid field. inputs: {name: element}. Returns whether
// anything was shown. Call with body null to clear.
export function showErrors(box, inputs, body) {
  box.hidden = true;
  for (const input of Object.values(inputs)) {
    input.removeAttribute('aria-invalid');
    describedBy(input, `${input.id}-error`, false);
    const old = document.getElementById(`${input.id}-error`);
    if (old) old.remove();
  }
  if (!body) return false;
  const { fields, rest } = splitErrors(body, Object.keys(inputs));
  let first = null;
  for (const [name, messages] of Object.entries(fields)) {
    const input = inputs[name];
    const note = h('div', { class: 'field-error', id: `${input.id}-error` }, messages.join(' '));
    input.after(note);
    input.setAttribute('aria-invalid', 'true');
    describedBy(input, note.id, true);
    // Editing the field retires its message: it was about the old value.
    const retire = () => {
      input.removeAttribute('aria-invalid');
      describedBy(input, note.id, false);
      note.remove();
    };
    input.addEventListener(input.type === 'checkbox' ? 'change' : 'input', retire, { once: true });
    first = first || input;
  }
  if (Object.keys(rest).length || !first) formError(box, rest);
  if (first && box.hidden) first.focus();
  return true;
}

// Add or drop one id in aria-describedby, keeping the others (a field's hint).
function describedBy(input, id, on) {
  const ids = (input.getAttribute('aria-describedby') || '')
    .split(' ')
    .filter((x) => x && x !== id);
  if (on) ids.unshift(id);
  if (ids.length) input.setAttribute('aria-describedby', ids.join(' '));
  else input.removeAttribute('aria-describedby');
}

export function formError(container, body) {
  container.replaceChildren(...errorLines(body).map((line) => h('div', {}, line)));
  container.hidden = false;
}

export function formatDate(iso) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });
}

export function todayIso() {
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
