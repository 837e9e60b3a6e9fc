// The burndown and velocity charts as inline SVG drawn here (no library, no CDN: the CSP
// allows only our own scripts). Each chart is a figure: the SVG with a title and a
// description for screen readers, a legend, and the same numbers as a data table.

import { burndownGeometry, CHART, velocityGeometry } from './planning-math.js';
import { formatDate, h } from './ui.js';

const NS = 'http://www.w3.org/2000/svg';
let uid = 0;

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value != null) el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child != null)
      el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

function chartSvg(kind, title, desc, ...children) {
  uid += 1;
  const ids = { title: `${kind}-title-${uid}`, desc: `${kind}-desc-${uid}` };
  return s(
    'svg',
    {
      class: `chart chart-${kind}`,
      viewBox: `0 0 ${CHART.width} ${CHART.height}`,
      role: 'img',
      'aria-labelledby': `${ids.title} ${ids.desc}`,
      focusable: 'false',
    },
    s('title', { id: ids.title }, title),
    s('desc', { id: ids.desc }, desc),
    ...children,
  );
}

function axes(geo) {
  const { x0, x1, y1 } = geo.frame;
  return s(
    'g',
    { class: 'axis', 'aria-hidden': 'true' },
    geo.yTicks.map((t) => [
      s('line', { class: 'grid', x1: x0, x2: x1, y1: t.y, y2: t.y }),
      s('text', { x: x0 - 6, y: t.y + 4, 'text-anchor': 'end' }, t.value),
    ]),
    (geo.xTicks || []).map((t) =>
      s('text', { x: t.x, y: y1 + 18, 'text-anchor': 'middle' }, formatDate(t.date)),
    ),
  );
}

function legend(items) {
  return h(
    'ul',
    { class: 'chart-legend', 'aria-hidden': 'true' },
    items.map(([kind, label]) => h('li', {}, h('span', { class: `swatch swatch-${kind}` }), label)),
  );
}

function table(caption, head, rows, cls) {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, 'Data table'),
    h(
      'table',
      { class: `data-table ${cls}` },
      h('caption', { class: 'sr-only' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(({ key, cells }) =>
          h(
            'tr',
            { dataset: { key } },
            cells.map(([col, value], i) =>
              i === 0
                ? h('th', { scope: 'row', dataset: { col } }, value)
                : h('td', { dataset: { col } }, value),
            ),
          ),
        ),
      ),
    ),
  );
}

// report: the burndown JSON; name: the sprint's, for the title.
export function burndownChart(report, name) {
  const geo = burndownGeometry(report);
  const days = report.unit_days || [];
  const last = days[days.length - 1];
  const idealAt = new Map((report.ideal || []).map((d) => [d.date, d.remaining_points]));
  const desc = last
    ? `On ${formatDate(last.date)}: ${last.remaining_points} of ${last.scope_points} points remain` +
      `, ${last.remaining_tasks} of ${last.scope_tasks} cards; the ideal line is at ` +
      `${idealAt.has(last.date) ? idealAt.get(last.date) : '—'}.`
    : 'No days yet: the burndown starts with the sprint.';
  const dot = (p) => s('circle', { class: 'dot', cx: p.x, cy: p.y, r: 3 });
  const svg = chartSvg(
    'burndown',
    `Burndown of ${name}`,
    desc,
    axes(geo),
    s('path', { class: 'line-ideal', d: geo.ideal.d }),
    s('path', { class: 'line-scope', d: geo.scope.d }),
    s('path', { class: 'line-remaining', d: geo.remaining.d }),
    geo.remaining.points.map(dot),
  );
  if (last) svg.dataset.remaining = String(last.remaining_points);
  const rows = days.map((d) => ({
    key: d.date,
    cells: [
      ['date', d.date],
      ['remaining', d.remaining_points],
      ['scope', d.scope_points],
      ['ideal', idealAt.has(d.date) ? idealAt.get(d.date) : ''],
      ['cards', `${d.remaining_tasks}/${d.scope_tasks}`],
    ],
  }));
  return h(
    'figure',
    { class: 'chart-figure' },
    svg,
    legend([
      ['remaining', 'Remaining points'],
      ['ideal', 'Ideal'],
      ['scope', 'Scope'],
    ]),
    table(
      `Burndown of ${name}, per day`,
      ['Day', 'Remaining points', 'Scope points', 'Ideal', 'Cards left'],
      rows,
      'burndown-table',
    ),
  );
}

// rows: the velocity JSON (closed sprints, newest first).
export function velocityChart(rows) {
  const geo = velocityGeometry(rows);
  const desc = rows.length
    ? rows
        .map(
          (r) =>
            `${r.name || 'Untitled sprint'}: ${r.completed_points} of ${r.committed_points} points done`,
        )
        .join('; ') + '.'
    : 'No closed sprint yet.';
  const bar = (b, kind, label) =>
    s(
      'rect',
      { class: `bar bar-${kind}`, x: b.x, y: b.y, width: b.width, height: b.height },
      s('title', {}, label),
    );
  const svg = chartSvg(
    'velocity',
    'Velocity: committed and completed points per closed sprint',
    desc,
    axes(geo),
    geo.groups.map((g) =>
      s(
        'g',
        { class: 'bar-group', 'data-sprint': g.row.sprint },
        bar(g.committed, 'committed', `${g.label}: ${g.row.committed_points} committed`),
        bar(g.completed, 'completed', `${g.label}: ${g.row.completed_points} completed`),
        s(
          'text',
          { x: g.mid, y: geo.frame.y1 + 18, 'text-anchor': 'middle', 'aria-hidden': 'true' },
          g.label,
        ),
      ),
    ),
  );
  const data = rows.map((r) => ({
    key: String(r.sprint),
    cells: [
      ['sprint', r.name || 'Untitled sprint'],
      ['committed', r.committed_points],
      ['completed', r.completed_points],
      ['cards', `${r.completed_tasks}/${r.committed_tasks}`],
    ],
  }));
  return h(
    'figure',
    { class: 'chart-figure' },
    svg,
    legend([
      ['committed', 'Committed'],
      ['completed', 'Completed'],
    ]),
    table(
      'Velocity per closed sprint',
      ['Sprint', 'Committed points', 'Completed points', 'Cards done'],
      data,
      'velocity-table',
    ),
  );
}
