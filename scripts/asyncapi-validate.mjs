// Validates an AsyncAPI document with the reference parser (@asyncapi/parser, package.json):
// `node scripts/asyncapi-validate.mjs <file.json>` prints every diagnostic and exits 1 when
// any has severity error. tests/board/test_asyncapi.py runs it on GET /api/asyncapi.json.
import { readFile } from 'node:fs/promises';
import { Parser, DiagnosticSeverity } from '@asyncapi/parser';

const SEVERITY = ['error', 'warning', 'information', 'hint'];

async function main(path) {
  if (!path) {
    console.error('usage: node scripts/asyncapi-validate.mjs <asyncapi.json>');
    return 2;
  }
  const text = await readFile(path, 'utf8');
  const { document, diagnostics } = await new Parser().parse(text);
  for (const d of diagnostics) {
    const where = d.path.length ? d.path.join('/') : '(root)';
    console.log(`${SEVERITY[d.severity] ?? d.severity} ${d.code} at ${where}: ${d.message}`);
  }
  const errors = diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error);
  if (errors.length || !document) {
    console.log(`INVALID: ${errors.length} error(s)`);
    return 1;
  }
  console.log(`valid AsyncAPI ${document.version()}: ${document.allMessages().length} messages`);
  return 0;
}

process.exitCode = await main(process.argv[2]);
