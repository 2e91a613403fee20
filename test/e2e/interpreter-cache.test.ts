// pip-guard caches what an interpreter says about itself (${XDG_CACHE_HOME}/pip-guard/
// interpreters.json), keyed by the interpreter's file: the answer is reused until the file changes.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { notices, pathBehindShims, type Sandbox, sandbox } from './harness.js';
import { makePython, type TestPython } from './pythons.js';

interface Entry {
  key: string;
  facts: {
    venv: boolean;
    stdlib: string;
    prefix: string;
    version: string;
    seedWheels: Record<string, string | null>;
  };
}

const cacheFile = (box: Sandbox) => join(box.home, '.cache', 'pip-guard', 'interpreters.json');
const readCache = (box: Sandbox) => JSON.parse(readFileSync(cacheFile(box), 'utf8')) as Record<string, Entry>;

const userSite = (box: Sandbox) => join(box.home, '.local', 'lib', `python${PY}`, 'site-packages');

// A Python that is not externally managed, first behind the shims, and its answer in the cache.
async function cachedPython(): Promise<{ box: Sandbox; python: TestPython; entry: Entry }> {
  const box = sandbox();
  const python = makePython(join(box.dir, 'python'), { managed: false });
  box.env.PATH = pathBehindShims(box, dirname(python.pip));
  const dryRun = await box.pip(['install', '--dry-run', ...box.offline, 'demo']);
  expect(dryRun.stdout).toContain('Would install demo-1.1');
  const entry = readCache(box)[python.python] as Entry;
  expect(entry.facts).toEqual({
    venv: false,
    stdlib: join(python.prefix, 'lib', `python${PY}`),
    prefix: python.prefix,
    version: `${PY}`,
    // Debian's wheels for ensurepip (its WHEEL_PKG_DIR), which new venvs are seeded from.
    seedWheels: {
      pip: `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`,
      setuptools: '/usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl',
    },
    // Where its pip scripts import pip from: the user site (the sandbox's) before the site directories.
    pipPath: [
      ...['python311.zip', `python${PY}`, `python${PY}/lib-dynload`].map((dir) =>
        join(python.prefix, 'lib', dir),
      ),
      userSite(box),
      join(python.prefix, 'lib', 'python3', 'dist-packages'),
    ],
    userSite: userSite(box),
  });
  return { box, python, entry };
}

// Makes the cache say the interpreter's stdlib is a directory with EXTERNALLY-MANAGED in it.
function doctorCache(box: Sandbox, python: TestPython): string {
  const fake = join(box.dir, 'fake-stdlib');
  mkdirSync(fake);
  writeFileSync(join(fake, 'EXTERNALLY-MANAGED'), '[externally-managed]\n');
  const cache = readCache(box);
  (cache[python.python] as Entry).facts.stdlib = fake;
  writeFileSync(cacheFile(box), JSON.stringify(cache));
  // The shim's own forward cache (which checks the real files) would never ask pip-guard.
  rmSync(join(box.home, '.cache', 'pip-guard', 'forward'), { recursive: true, force: true });
  return fake;
}

describe('the interpreter cache', () => {
  it('answers for the interpreter: pip-guard follows it, even where it is wrong', async () => {
    const { box, python } = await cachedPython();
    doctorCache(box, python);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    // Not what the interpreter would say: what the cache says.
    expect(notices(install.stderr)).toEqual([
      `pip-guard: ${python.python} is externally managed (PEP 668), so pip installed into a new venv, ` +
        `${join(box.project, '.venv')} (Python ${PY}); \`python3\` here uses it`,
    ]);
    expect(existsSync(join(python.sitePackages, 'demo'))).toBe(false);
  });

  it('asks the interpreter again once its file is replaced', async () => {
    const { box, python, entry } = await cachedPython();
    doctorCache(box, python);
    // A new binary in its place, as an upgrade installs one.
    const next = `${python.python}.new`;
    copyFileSync(`/usr/bin/python${PY}`, next);
    chmodSync(next, 0o755);
    renameSync(next, python.python);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([]);
    expect(existsSync(join(python.sitePackages, 'demo'))).toBe(true);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    const probed = readCache(box)[python.python] as Entry;
    expect(probed.facts).toEqual(entry.facts);
    expect(probed.key).not.toBe(entry.key);
  });
});
