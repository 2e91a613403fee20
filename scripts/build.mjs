// Bundles src/main.ts and its dependencies into one CommonJS file, dist/pip-guard.cjs,
// the form that both `node dist/pip-guard.cjs` and Node's single-executable support run,
// and writes the licenses of the packages inside it to dist/THIRD-PARTY-LICENSES.txt.
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const outfile = join(root, 'dist', 'pip-guard.cjs');

// Their MIT, ISC and BSD terms ask that the notice travel with every copy: the npm package and
// the release carry this file (esbuild's legalComments only keeps comments found in the code).
function writeLicenses(metafile) {
  const packages = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const dir = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1];
    if (dir) packages.add(join(root, dir));
  }
  const sections = [...packages].sort().map((dir) => {
    const { name, version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    const file = readdirSync(dir).find((entry) => /^(licen[cs]e|copying)(\.|$)/i.test(entry));
    const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `License: ${license}`;
    return `${name} ${version}\n\n${text}\n`;
  });
  writeFileSync(
    join(root, 'dist', 'THIRD-PARTY-LICENSES.txt'),
    `pip-guard ${version} bundles the following packages.\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`,
  );
}

const { metafile } = await build({
  absWorkingDir: root,
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile,
  metafile: true,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The shim templates ship inside the bundle, so a copied or single-executable build still has them.
  loader: { '.sh': 'text', '.fish': 'text' },
  // cosmiconfig's loader for .ts configs, which pip-guard does not read.
  external: ['typescript'],
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
writeLicenses(metafile);
