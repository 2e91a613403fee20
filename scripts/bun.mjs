// The Bun that compiles dist/pip-guard, and the Bun runtime each platform's binary is made of:
// one pinned Bun, its npm packages @oven/bun-<os>-<arch> fetched once with npm (npm-program.mjs).
// The host's package is the compiler; the target's, with a few environment variables renamed
// (patchRuntime), is the runtime that `bun build --compile --compile-executable-path` copies, so
// that cross-compiling fetches nothing but what is pinned here.
import { readFileSync, writeFileSync } from 'node:fs';
import { cachedProgram, npmProgram } from './npm-program.mjs';

export const BUN_VERSION = '1.4.5';
export const DEFAULT_PLATFORM = 'linux-x64';

// One package per platform, with the integrity the registry published for it. (The registry's
// @oven/bun-linux-x64-baseline 1.4.5 holds the same bytes as @oven/bun-linux-x64.)
export const PLATFORMS = {
  'linux-x64': {
    package: '@oven/bun-linux-x64',
    target: 'bun-linux-x64',
    integrity:
      'sha512-IWX9BELoGHAUtMonkeSaNaZwXzRk+oDw6Mk+HBFXd3KHYIBNBsIGRupMZPcgNoDbJpLu6gAJjIoIVPZtt1aJ1g==',
  },
  'linux-arm64': {
    package: '@oven/bun-linux-aarch64',
    target: 'bun-linux-arm64',
    integrity:
      'sha512-4BXmsSKnjOrlGWqZV4x/oWa7AVoR+B6lCXddMzOAXBIm3t50eslg9wb66gmtW1AamEQ1l1CDvmmruysEhqOWMg==',
  },
  'darwin-arm64': {
    package: '@oven/bun-darwin-aarch64',
    target: 'bun-darwin-arm64',
    integrity:
      'sha512-4MIFXHmctH2EhAxLXm2/qxNtv17dFtLJylvaOCsrgq6KSqHTs6eW5YSrJjRbJxYUJaR901fsN8JfZOa+CsWpWQ==',
  },
  'darwin-x64': {
    package: '@oven/bun-darwin-x64',
    target: 'bun-darwin-x64',
    integrity:
      'sha512-qkLPMGHZM9NI6CeHTWwVezzmlo6cC4Ta7yUAjYIWXS366qQcOlcp75t2uZyiuVRBMPS0h9qE0tCcvCHGaFqjJg==',
  },
};

// The pinned package for a platform name, or an error that lists the known ones.
export function platformPackage(platform) {
  const pinned = PLATFORMS[platform];
  if (!pinned) {
    throw new Error(
      `unknown platform ${platform}: use one of ${Object.keys(PLATFORMS).join(', ')} (scripts/bun.mjs pins them).`,
    );
  }
  return { ...pinned, version: BUN_VERSION, program: 'bin/bun' };
}

export const cachedBunPath = (platform = DEFAULT_PLATFORM) => cachedProgram(platformPackage(platform));

// The platform's Bun, fetched and verified on first use, from the cache after that.
export const bunFor = (platform, log) => npmProgram(platformPackage(platform), 'scripts/bun.mjs', log);

// The Bun that runs here: the compiler.
export function hostPlatform() {
  const host = `${process.platform}-${process.arch}`;
  if (!PLATFORMS[host]) throw new Error(`no Bun is pinned for this machine (${host}) in scripts/bun.mjs`);
  return host;
}

// Variables a compiled Bun program reads before any of its code runs, none of which a pip shim
// may honour. BUN_OPTIONS is spliced into the runtime's own argv at start (Bun's
// argv_view_init): a `--preload` there runs code inside every guarded pip command, a relative
// one that is missing stops them all, `--watch` or `--hot` keep them running. BUN_BE_BUN=1 makes
// the program the whole `bun` CLI, which would take `--pip-guard-shim` for its own. BUN_INSPECT*
// open a debugger (`?wait=1` waits for one to attach). Node's single executable ignored
// NODE_OPTIONS by its execArgvExtension "none"; Bun has no such switch (a compiled program
// already ignores NODE_OPTIONS), so the runtime pip-guard is compiled into looks these up
// under names no shell can set, with a hyphen: the variables stay in the environment, for pip
// and whatever else pip-guard runs, unread by pip-guard itself.
export const IGNORED_VARIABLES = [
  'BUN_OPTIONS',
  'BUN_BE_BUN',
  'BUN_INSPECT',
  'BUN_INSPECT_CONNECT_TO',
  'BUN_INSPECT_PRELOAD',
];
const renamed = (name) => name.replaceAll('_', '-');

// Writes to OUTPUT a copy of the runtime BUN with each variable's name renamed in place, where
// the runtime keeps it as a C string (NUL on both sides); any other count than one occurrence
// means another Bun, whose reading of its environment must be looked at again before pinning it.
export function patchRuntime(bun, output) {
  const bytes = readFileSync(bun);
  for (const name of IGNORED_VARIABLES) {
    const needle = Buffer.from(`\0${name}\0`);
    const at = bytes.indexOf(needle);
    if (at === -1 || bytes.indexOf(needle, at + 1) !== -1) {
      throw new Error(
        `${bun} does not hold the name ${name} exactly once as a C string: check how this Bun reads it before pinning it in scripts/bun.mjs.`,
      );
    }
    bytes.write(renamed(name), at + 1, 'latin1');
  }
  writeFileSync(output, bytes, { mode: 0o755 });
}
