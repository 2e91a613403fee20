// A release host for the tests, offline: the releases `npm run release` writes (built once per run
// of the suite, by whichever test file asks first, into the suite's own directory), served by an
// HTTP server on 127.0.0.1 started by the test that needs it, also as an npm registry for the npm
// packages. Every program the tests run against it is awaited, never run synchronously: the
// server answers from the test's own process.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { expect, inject } from 'vitest';
import { readJson } from '../../src/base/files.js';
import { PY } from './env.js';
import { notices, ROOT, type Sandbox, SYSTEM_PATH, waitUntil } from './harness.js';

export const { version: VERSION } = readJson<{ version: string }>(join(ROOT, 'package.json')) ?? {
  version: '?',
};
// A version newer than this one, for a release of this tree made as if it were the next.
export const NEWER = VERSION.replace(/^(\d+)\.(\d+)\.(\d+).*$/, (_, major, minor, patch) => {
  return `${major}.${minor}.${Number(patch) + 1}-test.1`;
});

// The first file to ask builds it; the others wait for its mark (or its failure), for as long as a
// build on a busy machine can take, and then fail saying what they waited for.
async function buildOnce(dir: string, args: string[]): Promise<string> {
  const [built, failed] = [join(dir, '.built'), join(dir, '.failed')];
  try {
    mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    await waitUntil(
      () => existsSync(built) || existsSync(failed),
      `the release in ${dir}, which another test file builds`,
      600_000,
      250,
    );
    if (existsSync(failed)) throw new Error(`the release in ${dir} failed:\n${readFileSync(failed, 'utf8')}`);
    return dir;
  }
  try {
    await promisify(execFile)(
      process.execPath,
      [join(ROOT, 'scripts', 'release.mjs'), ...args, '--out', dir],
      {
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    writeFileSync(built, '');
  } catch (error) {
    writeFileSync(failed, String((error as { stderr?: string }).stderr || (error as Error).message));
    throw error;
  }
  return dir;
}

// `npm run release`: the four platforms, SHA256SUMS, LATEST, install.sh and npm/.
export const sharedRelease = () => buildOnce(join(inject('e2e').root, 'release'), []);

// The same tree released for linux-x64 as version NEWER.
export const newerRelease = () =>
  buildOnce(join(inject('e2e').root, 'release-newer'), ['linux-x64', '--version', NEWER]);

// A directory of links to the files of RELEASE (npm/ aside), but those in `leave` and `replace`;
// `replace` writes files of its own instead.
export function hostDir(
  into: string,
  release: string,
  { leave = [], replace = {} }: { leave?: string[]; replace?: Record<string, Buffer | string> } = {},
): string {
  mkdirSync(into, { recursive: true });
  for (const name of readdirSync(release)) {
    if (name.startsWith('.') || name === 'npm' || leave.includes(name) || name in replace) continue;
    symlinkSync(join(release, name), join(into, name));
  }
  for (const [name, content] of Object.entries(replace)) writeFileSync(join(into, name), content);
  return into;
}

interface Packument {
  name: string;
  'dist-tags': Record<string, string>;
  versions: Record<string, Record<string, unknown>>;
}

// The registry's document for each package among TARBALLS (npm pack's), with their integrity.
function packuments(tarballs: string[], url: string): Map<string, Packument> {
  const documents = new Map<string, Packument>();
  for (const tarball of tarballs) {
    const manifest: { name: string; version: string } = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    );
    const bytes = readFileSync(tarball);
    const dist = {
      tarball: `${url}/-/tarballs/${basename(tarball)}`,
      integrity: `sha512-${createHash('sha512').update(bytes).digest('base64')}`,
      shasum: createHash('sha1').update(bytes).digest('hex'),
    };
    const document: Packument = documents.get(manifest.name) ?? {
      name: manifest.name,
      'dist-tags': {},
      versions: {},
    };
    document.versions[manifest.version] = { ...manifest, _id: `${manifest.name}@${manifest.version}`, dist };
    document['dist-tags'].latest = manifest.version;
    documents.set(manifest.name, document);
  }
  return documents;
}

export interface Host {
  url: string;
  // The registry's documents, by package name.
  packages: Map<string, Packument>;
  // Every path asked for, in order.
  requests: string[];
  close(): Promise<void>;
}

// Serves the files of DIR (and with `npm`, those tarballs as a registry does) on 127.0.0.1, on a
// port of its own; close() stops it, and any download still going.
export async function serve(dir: string, npm: string[] = []): Promise<Host> {
  const requests: string[] = [];
  const registry = new Map<string, Packument>();
  const byName = new Map(npm.map((tarball) => [basename(tarball), tarball]));
  const server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://host').pathname);
    requests.push(path);
    const packument = registry.get(path.slice(1));
    if (packument) {
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(packument));
      return;
    }
    const file = path.startsWith('/-/tarballs/') ? byName.get(path.slice(12)) : resolve(dir, `.${path}`);
    const inside = file && !relative(dir, file).startsWith('..');
    const stat = inside ? statSync(file, { throwIfNoEntry: false }) : undefined;
    if (!file || !stat?.isFile()) {
      response.writeHead(404, 'Not Found').end('not found\n');
      return;
    }
    response.writeHead(200, { 'content-length': stat.size });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const [name, packument] of packuments(npm, url)) registry.set(name, packument);
  return {
    url,
    packages: registry,
    requests,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

// A directory of links to every program in /usr/bin but NAMES: a PATH without them.
export function binWithout(into: string, names: string[]): string {
  mkdirSync(into, { recursive: true });
  for (const name of readdirSync('/usr/bin')) {
    if (!names.includes(name)) symlinkSync(join('/usr/bin', name), join(into, name));
  }
  return into;
}

// A directory holding an `uname` that names another machine (-s, -m); first on PATH, the
// installer sees that machine.
export function fakeUname(into: string, kernel: string, machine: string): string {
  mkdirSync(into, { recursive: true });
  writeFileSync(
    join(into, 'uname'),
    `#!/bin/sh\ncase $1 in\n  -s) echo ${kernel} ;;\n  -m) echo ${machine} ;;\n  *) exec /usr/bin/uname "$@" ;;\nesac\n`,
    { mode: 0o755 },
  );
  return into;
}

// `curl -fsSL URL/install.sh | PIP_GUARD_DOWNLOAD_URL=URL sh …` (or wget's) as a user types it,
// in the sandbox's fresh HOME, with its own TMPDIR to see that the installer leaves nothing there.
export function runInstaller(box: Sandbox, url: string, { fetch = 'curl -fsSL', args = '', env = {} } = {}) {
  const tmp = join(box.dir, 'tmp');
  mkdirSync(tmp, { recursive: true });
  return box
    .run(
      'sh',
      ['-c', `${fetch} "$1/install.sh" | PIP_GUARD_DOWNLOAD_URL="$1" sh ${args}`.trim(), 'sh', url],
      { env: { PATH: SYSTEM_PATH, TMPDIR: tmp, ...env } },
    )
    .then((result) => ({ ...result, leftInTmp: existsSync(tmp) ? readdirSync(tmp) : [] }));
}

export const shimDir = (box: Sandbox) => join(box.home, '.local', 'share', 'pip-guard', 'bin');

// A refused install through the shims in DIR lands in the project's new .venv.
export async function expectRedirect(box: Sandbox, dir: string) {
  const pip = await box.pip(['install', ...box.offline, 'demo'], { env: { PATH: `${dir}:${SYSTEM_PATH}` } });
  expect(pip.exitCode).toBe(0);
  expect(pip.stdout).toContain('Successfully installed demo-1.1');
  expect(notices(pip.stderr)[0]).toContain(
    `so pip installed into a new venv, ${join(box.project, '.venv')} (Python ${PY});`,
  );
}
