// A label's colours: the palette the widget offers, and the text colour a chip takes on its
// label's colour. Labels come in any #rrggbb, so the text is black or white, whichever has
// the higher contrast (WCAG 2 relative luminance): the better of the two is never under
// 4.58:1, so every chip reads at the AA level. No DOM: `node --test` covers it.

// Named, so a swatch has an accessible name; the names are ours, the server keeps the hex.
export const PALETTE = [
  { color: '#c62828', name: 'Red' },
  { color: '#f08c00', name: 'Orange' },
  { color: '#fbca04', name: 'Yellow' },
  { color: '#137a3a', name: 'Green' },
  { color: '#1f4fd1', name: 'Blue' },
  { color: '#8b3fd1', name: 'Purple' },
  { color: '#f9a8d4', name: 'Pink' },
  { color: '#6b7280', name: 'Grey' },
];

const HEX = /^#[0-9a-f]{6}$/i;

export function isColor(value) {
  return HEX.test(String(value));
}

function channel(byte) {
  const c = byte / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex) {
  const n = parseInt(String(hex).slice(1), 16);
  return (
    0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255)
  );
}

export function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// The chip's text colour on `background`; an unreadable value counts as the grey swatch.
export function inkFor(background) {
  const bg = isColor(background) ? background : '#6b7280';
  return contrast(bg, '#000000') >= contrast(bg, '#ffffff') ? '#000000' : '#ffffff';
}

// A palette name for a colour the palette has, else the hex (read out by screen readers).
export function colorName(color) {
  const hit = PALETTE.find((p) => p.color === String(color).toLowerCase());
  return hit ? hit.name : String(color);
}

// The CSS custom properties a chip is painted with (set through CSSOM: the CSP allows no
// inline style attributes).
export function paintChip(el, color) {
  el.style.setProperty('--label-bg', isColor(color) ? color : '#6b7280');
  el.style.setProperty('--label-ink', inkFor(color));
  return el;
}
