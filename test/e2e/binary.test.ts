// The single executable as a user gets it: one file, copied anywhere, on a machine with no Node.
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson } from '../../src/files.js';
import { CLI, notices, ROOT, runIn, SYSTEM_PATH, sandbox } from './harness.js';

const { version } = readJson<{ version: string }>(join(ROOT, 'package.json')) ?? { version: '?' };

// The system's programs without Node: Debian's /usr/bin (and /bin, the same directory) may
// hold a `node`, so this is a directory of links to every other program on SYSTEM_PATH.
function systemWithoutNode(dir: string): string {
  mkdirSync(dir);
  const linked = new Set<string>();
  for (const from of SYSTEM_PATH.split(':')) {
    for (const name of readdirSync(from)) {
      if (/^node(js)?$/.test(name) || linked.has(name)) continue;
      linked.add(name);
      symlinkSync(join(from, name), join(dir, name));
    }
  }
  return dir;
}

describe('dist/pip-guard, the single executable', () => {
  it('copied alone to a temp dir, with env -i and no node on PATH: --version, setup, and its shims send a refused install to the project .venv', async () => {
    const box = sandbox();
    const app = join(box.dir, 'download');
    mkdirSync(app);
    const binary = join(app, 'pip-guard');
    copyFileSync(CLI, binary);
    const system = systemWithoutNode(join(box.dir, 'system-bin'));
    const shims = join(box.dir, 'shims');
    // Exactly what env -i leaves, plus the variables named here (no pip config from the machine).
    const envI = (path: string, file: string, args: string[], cwd = box.project) =>
      runIn(
        {},
        '/usr/bin/env',
        ['-i', `HOME=${box.home}`, `PATH=${path}`, 'PIP_CONFIG_FILE=/dev/null', file, ...args],
        { cwd },
      );

    const noNode = await envI(system, 'sh', ['-c', 'command -v node || command -v nodejs || echo none']);
    expect(noNode.stdout).toBe('none\n');

    const versionShown = await envI(system, binary, ['--version']);
    expect(versionShown).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: '' });

    const setup = await envI(system, binary, ['setup', '--dir', shims]);
    expect(setup.exitCode).toBe(0);
    expect(setup.stdout).toContain(`pip-guard: wrote pip-guard, pip, pip3, pip3.11 to ${shims}`);
    // The shims run setup's copy of the binary: the download can go.
    expect(readFileSync(join(shims, 'pip'), 'utf8')).toContain(`exec ${shims}/pip-guard --pip-guard-shim`);
    rmSync(binary);
    const onPath = await envI(`${shims}:${system}`, 'sh', [
      '-c',
      'command -v pip-guard && pip-guard --version',
    ]);
    expect(onPath.stdout).toBe(`${shims}/pip-guard\n${version}\n`);

    const install = await envI(`${shims}:${system}`, 'pip', [
      'install',
      '--no-index',
      '-f',
      box.wheels,
      'demo',
    ]);
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    const venv = join(box.project, '.venv');
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python 3.11); ` +
        `use it with \`pip-guard run python3 …\` or \`source ${venv}/bin/activate\``,
    ]);
    const imported = await box.run(join(venv, 'bin', 'python'), [
      '-c',
      'import demo; print(demo.__version__)',
    ]);
    expect(imported.stdout).toBe('1.1\n');
    expect(existsSync(join(box.home, '.local', 'share', 'pip-guard', 'venvs'))).toBe(false);
  });

  it("ignores the user's NODE_OPTIONS: a --require there runs nothing, a flag Node 24 refuses stops nothing", async () => {
    const box = sandbox();
    const marker = join(box.dir, 'required-ran');
    const script = join(box.dir, 'require-me.cjs');
    writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    for (const options of [`--require ${script}`, '--no-such-node-flag']) {
      const result = await box.run(CLI, ['--version'], { env: { NODE_OPTIONS: options } });
      expect(result).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
    }
    expect(existsSync(marker)).toBe(false);
  });
});
