// Bundles src/main.ts and its dependencies into one CommonJS file, dist/pip-guard.cjs,
// the form that both `node dist/pip-guard.cjs` and Node's single-executable support run.
import { chmodSync, readFileSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const outfile = new URL('../dist/pip-guard.cjs', import.meta.url).pathname;

await build({
  entryPoints: [new URL('../src/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The shim template ships inside the bundle, so a copied or single-executable build still has it.
  loader: { '.sh': 'text' },
  define: {
    PIP_GUARD_VERSION: JSON.stringify(version),
    // ESM dependencies (yargs, execa) read import.meta.url; a CommonJS bundle has __filename instead.
    'import.meta.url': '__pipGuardImportMetaUrl',
  },
  banner: {
    js: "#!/usr/bin/env node\nconst __pipGuardImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
  },
});
chmodSync(outfile, 0o755);
