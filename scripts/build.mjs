// node scripts/build.mjs [--outdir DIR] [--version V]: bundles src/main.ts and its dependencies
// into one CommonJS file, DIR/pip-guard.cjs (DIR: dist), the form that both `node
// dist/pip-guard.cjs` and Bun's compiler (build-binary.mjs) take, and writes the licenses of the
// packages inside it to DIR/THIRD-PARTY-LICENSES.txt. --version builds it as version V instead of
// package.json's (release.mjs makes a test release of a newer version with it).
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: options } = parseArgs({
  options: { outdir: { type: 'string' }, version: { type: 'string' } },
});
const version = options.version ?? JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version;
const outdir = resolve(options.outdir ?? join(root, 'dist'));
const outfile = join(outdir, 'pip-guard.cjs');

// Each file into place in one step: the tests run the bundle while a release test rebuilds it.
function writeInPlace(file, data, mode = 0o644) {
  const beside = `${file}.${process.pid}`;
  writeFileSync(beside, data, { mode });
  renameSync(beside, file);
}

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
  writeInPlace(
    join(outdir, 'THIRD-PARTY-LICENSES.txt'),
    `pip-guard ${version} bundles the following packages.\n\n${sections.join(`\n${'-'.repeat(72)}\n\n`)}`,
  );
}

// yargs' y18n reads a locale file `../../../locales/LANG.json` from its own directory at each
// message: in the bundle, a path fixed where it was built (`<checkout>/../locales`), on every
// machine the binary runs on. A file there would rewrite pip-guard's help, and a directory there
// that the user may not search made it an internal error (EACCES). pip-guard's messages are
// yargs' English ones, which y18n gives when it has no file: this shim gives it none to read.
const y18nWithoutFiles = {
  name: 'y18n-without-files',
  setup(builder) {
    builder.onLoad({ filter: /[\\/]y18n[\\/]build[\\/]lib[\\/]platform-shims[\\/]node\.js$/ }, () => ({
      contents: `import { format } from 'node:util';
import { resolve } from 'node:path';
export default { fs: {}, format, resolve, exists: () => false };
`,
      loader: 'js',
    }));
  },
};

// yargs reads process.stdout.columns when it loads (its help's width), its setBlocking builds
// process.stdout and process.stderr to ask whether they are terminals, and its asserts are
// node:assert's, whose failure (which yargs meets and handles as it parses) loads Bun's
// AssertionError, whose colours build process.stderr: on Bun, building either stream sets a pipe
// or socket that pip-guard shares with its caller non-blocking, and the caller's next command may
// then fail with EAGAIN. Here each asks isatty(2) first and touches a stream only where it is a
// terminal, and the asserts are two plain functions.
const ASK_THE_TERMINAL_FIRST = [
  [
    /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    "typeof process.stdout.columns !== 'undefined' ? process.stdout.columns : null",
    "process.getBuiltinModule('node:tty').isatty(1) ? (process.stdout.columns ?? null) : null",
  ],
  [
    /[\\/]yargs[\\/]lib[\\/]platform-shims[\\/]esm\.mjs$/,
    "import { notStrictEqual, strictEqual } from 'assert'",
    `const notStrictEqual = (actual, expected, message) => {
  if (Object.is(actual, expected)) throw new Error(message ?? \`expected a value other than \${String(expected)}\`);
};
const strictEqual = (actual, expected, message) => {
  if (!Object.is(actual, expected)) throw new Error(message ?? \`expected \${String(expected)}, got \${String(actual)}\`);
};`,
  ],
  [
    /[\\/]yargs[\\/]build[\\/]lib[\\/]utils[\\/]set-blocking\.js$/,
    '[process.stdout, process.stderr].forEach(',
    "[1, 2].filter((fd) => process.getBuiltinModule('node:tty').isatty(fd)).map((fd) => (fd === 1 ? process.stdout : process.stderr)).forEach(",
  ],
];
const yargsAsksTheTerminalFirst = {
  name: 'yargs-asks-the-terminal-first',
  setup(builder) {
    const filter = new RegExp(ASK_THE_TERMINAL_FIRST.map(([file]) => file.source).join('|'));
    builder.onLoad({ filter }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const [file, from, to] of ASK_THE_TERMINAL_FIRST) {
        if (!file.test(args.path)) continue;
        if (!text.includes(from))
          throw new Error(`${args.path} no longer reads as scripts/build.mjs expects: ${from}`);
        text = text.replace(from, to);
      }
      return { contents: text, loader: 'js' };
    });
  },
};

const { metafile, outputFiles } = await build({
  absWorkingDir: root,
  write: false,
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
  // The shim templates and the Python helpers ship inside the bundle, so a copied or
  // single-executable build still has them.
  loader: { '.sh': 'text', '.fish': 'text', '.py': 'text' },
  plugins: [y18nWithoutFiles, yargsAsksTheTerminalFirst],
  // cosmiconfig's loader for .ts configs, which pip-guard does not read.
  external: ['typescript'],
  define: {
    PIP_GUARD_VERSION: JSON.stringify(version),
    // ESM dependencies (yargs, execa) read import.meta.url; a CommonJS bundle has __filename
    // instead. Made when first read: node:url costs Bun half a millisecond at every start.
    'import.meta.url': 'globalThis.__pipGuardImportMetaUrl',
  },
  banner: {
    js: `#!/usr/bin/env node
Object.defineProperty(globalThis, '__pipGuardImportMetaUrl', { configurable: true, get() {
  const url = require('node:url').pathToFileURL(__filename).href;
  Object.defineProperty(globalThis, '__pipGuardImportMetaUrl', { value: url });
  return url;
} });`,
  },
});
mkdirSync(dirname(outfile), { recursive: true });
writeInPlace(outfile, outputFiles[0].contents, 0o755);
writeLicenses(metafile);
