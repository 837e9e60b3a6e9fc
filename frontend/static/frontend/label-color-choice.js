// Picking a label's colour: the palette's swatches as toggle buttons, and any colour through
// <input type=color>. The input holds the value; a swatch sets it and says it is pressed.

import { PALETTE } from './label-colors.js';
import { h } from './ui.js';

// idPrefix keeps the ids of two choices on one page apart (create and edit).
export function colorChoice(initial, idPrefix) {
  const input = h('input', {
    type: 'color',
    id: `${idPrefix}-color`,
    name: 'color',
    value: initial,
    oninput: () => mark(),
  });
  const swatches = PALETTE.map((p) => {
    const button = h('button', {
      type: 'button',
      class: 'swatch',
      title: p.name,
      'aria-label': p.name,
      'aria-pressed': 'false',
      dataset: { color: p.color, focusKey: `${idPrefix}-swatch-${p.color}` },
      onclick: () => {
        input.value = p.color;
        mark();
        input.dispatchEvent(new Event('input', { bubbles: true }));
      },
    });
    button.style.setProperty('--label-bg', p.color);
    return button;
  });
  function mark() {
    for (const s of swatches)
      s.setAttribute('aria-pressed', String(s.dataset.color === input.value));
  }
  mark();
  const root = h(
    'div',
    { class: 'color-choice', role: 'group', 'aria-label': 'Colour' },
    h('div', { class: 'swatches' }, swatches),
    h(
      'span',
      { class: 'color-custom' },
      h('label', { for: input.id, class: 'inline-label' }, 'Other'),
      input,
    ),
  );
  return {
    root,
    input,
    value: () => input.value.toLowerCase(),
    set: (color) => {
      input.value = color;
      mark();
    },
  };
}
