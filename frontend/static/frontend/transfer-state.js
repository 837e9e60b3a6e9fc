// Export and import's pure rules (board-transfer.js draws them): what a job's state says,
// when to stop polling, what a refused document's 400 lists, and the export's file name.

export const POLL_MS = 1000;

export function jobFinished(job) {
  return Boolean(job) && (job.state === 'done' || job.state === 'failed');
}

// The line a person reads while an import runs, and after.
export function jobText(job) {
  if (!job) return '';
  if (job.state === 'queued') return 'Import queued…';
  if (job.state === 'running') return `Importing… ${job.progress}%`;
  if (job.state === 'done') {
    const notes = (job.errors || []).length;
    return notes ? `Imported, with ${notes} note${notes === 1 ? '' : 's'}.` : 'Imported.';
  }
  return 'The import failed: nothing was kept.';
}

// The messages of a 400 ({document: [...]}), a parse error's {detail}, or a 413.
export function refusalMessages(status, body) {
  if (status === 413) return ['The file is too large to import.'];
  if (body && Array.isArray(body.document)) return body.document.map(String);
  if (body && body.detail) return [String(body.detail)];
  return [`The import was refused (${status}).`];
}

// A file that is not JSON is refused here, before any upload.
export function parseDocument(text) {
  try {
    const document = JSON.parse(text);
    if (document && typeof document === 'object' && !Array.isArray(document)) {
      return { document };
    }
    return { error: 'The file must hold one JSON object.' };
  } catch {
    return { error: 'The file is not JSON.' };
  }
}

export function exportFileName(board) {
  const slug = String(board.name || 'board')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${slug || 'board'}-${board.id}.json`;
}
