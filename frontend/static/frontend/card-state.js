// What a card carries beside its fields (labels, comment and checklist counters), as the
// board's state folds it from events. state.js merges these handlers into its own.

function byIdOf(rows) {
  const out = {};
  for (const row of rows || []) out[row.id] = row;
  return out;
}

// The board's labels from its snapshot (a board from before labels has none).
export function labelsOf(snapshot) {
  return byIdOf(snapshot.labels);
}

// A comment or checklist event carries the card's counters after it: taken as they are,
// so a page that never loaded the card's comments still shows the right count.
function withCounts(state, data) {
  const task = state.tasks[data.task];
  if (!task || !data.counts) return state;
  return { ...state, tasks: { ...state.tasks, [task.id]: { ...task, ...data.counts } } };
}

function withoutLabel(state, data) {
  const labels = { ...state.labels };
  delete labels[data.id];
  let tasks = state.tasks;
  // Taking a label off its cards is no edit of theirs: versions stay, as on the server.
  for (const id of data.tasks || []) {
    const task = tasks[id];
    if (task && (task.labels || []).includes(data.id)) {
      tasks = { ...tasks, [id]: { ...task, labels: task.labels.filter((x) => x !== data.id) } };
    }
  }
  return { ...state, labels, tasks };
}

const putLabel = (s, d) => ({ ...s, labels: { ...s.labels, [d.id]: d } });

export const cardHandlers = {
  'label.created': putLabel,
  'label.updated': putLabel,
  'label.deleted': withoutLabel,
  'comment.created': withCounts,
  'comment.updated': withCounts,
  'comment.deleted': withCounts,
  'checklist_item.created': withCounts,
  'checklist_item.updated': withCounts,
  'checklist_item.deleted': withCounts,
};

// The board's labels by name (accents and case folded), for pickers and the filter.
export function labelList(state) {
  return Object.values(state.labels || {}).sort((a, b) =>
    a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }),
  );
}
