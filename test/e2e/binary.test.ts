// The single executable as a user gets it: one file, copied anywhere, on a machine with no Node.

import { execFileSync } from 'node:child_process';
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
import { cachedBunPath } from '../../scripts/bun.mjs';
import { readJson } from '../../src/base/files.js';
import { PY } from './env.js';
import { CLI, notices, ROOT, runIn, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';

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
    expect(setup.stdout).toContain(
      `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${shims}`,
    );
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
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python ${PY}); ` +
        `\`python3\` here uses it`,
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

  it("reads no yargs locale file: their path is fixed where the binary was built, so one there would rewrite pip-guard's help", async () => {
    const box = sandbox();
    const log = join(box.dir, 'strace.log');
    const traced = await box.run('strace', ['-f', '-e', 'trace=openat,open', '-o', log, CLI, '--help'], {
      env: { LANG: 'C' },
    });
    expect(traced.exitCode).toBe(0);
    expect(traced.stdout).toContain('Commands:');
    const opened = readFileSync(log, 'utf8').split('\n');
    expect(opened.some((line) => line.includes('openat('))).toBe(true);
    expect(opened.filter((line) => /locales/.test(line))).toEqual([]);
  });
});

// A pip that says what pip-guard handed it, and from which working directory.
function echoingPip(box: Sandbox): string {
  const fake = join(box.dir, 'echo-pip');
  writeFileSync(
    fake,
    // biome-ignore lint/suspicious/noTemplateCurlyInString: sh, not a template
    '#!/bin/sh\necho "pip $* index=${PIP_INDEX_URL-unset} options=${BUN_OPTIONS-unset} be=${BUN_BE_BUN-unset}"\n',
    { mode: 0o755 },
  );
  return fake;
}

describe('what a Bun-compiled program would read from its surroundings', () => {
  it('ignores BUN_OPTIONS, BUN_BE_BUN and BUN_INSPECT (a preload runs nothing, a missing one or --watch stops nothing, no debugger waits), and pip still gets them as they were', async () => {
    const box = sandbox();
    const marker = join(box.dir, 'preloaded');
    const script = join(box.dir, 'preload-me.js');
    writeFileSync(script, `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    for (const env of [
      { BUN_OPTIONS: `--preload ${script}` },
      { BUN_OPTIONS: '--preload ./no-such-preload.js' },
      { BUN_OPTIONS: '--watch --no-such-bun-flag' },
      { BUN_BE_BUN: '1' },
      { BUN_INSPECT: 'ws://127.0.0.1:9/pip-guard?wait=1' },
      { BUN_INSPECT_PRELOAD: script, BUN_INSPECT: 'ws://127.0.0.1:9/pip-guard' },
    ]) {
      const result = await box.run(CLI, ['--version'], { env });
      expect(result, JSON.stringify(env)).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
    }
    expect(existsSync(marker)).toBe(false);

    const env = { PIP_GUARD_REAL_PIP: echoingPip(box), BUN_OPTIONS: `--preload ${script}`, BUN_BE_BUN: '1' };
    const list = await box.pip(['list'], { env });
    expect(list).toMatchObject({ exitCode: 0, stderr: '' });
    expect(list.stdout).toBe(`pip list index=unset options=--preload ${script} be=1\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it("a project's .env, bunfig.toml, tsconfig.json and package.json change nothing, though each changes a program Bun compiles with its defaults", async () => {
    const box = sandbox();
    const marker = join(box.dir, 'preloaded');
    const put = (name: string, text: string) => writeFileSync(join(box.project, name), text);
    put('.env', 'PIP_GUARD_POLICY=block\nPIP_INDEX_URL=http://127.0.0.1:9/from-dotenv\n');
    put('bunfig.toml', 'preload = ["./preload.js"]\n');
    put('preload.js', `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`);
    // Aliases that only the project's tsconfig.json and package.json resolve, for a trusted config.
    put(
      'tsconfig.json',
      '{ "compilerOptions": { "paths": { "venv-from-tsconfig": ["./from-tsconfig.cjs"] } } }\n',
    );
    put('from-tsconfig.cjs', 'module.exports = { path: "from-tsconfig" };\n');
    put('package.json', '{ "name": "example", "imports": { "#route": "./from-package-json.cjs" } }\n');
    put('from-package-json.cjs', 'module.exports = { route: false };\n');
    put(
      'pip-guard.config.cjs',
      'const tried = (name) => { try { return require(name); } catch { return {}; } };\n' +
        'module.exports = { venv: { ...tried("venv-from-tsconfig"), ...tried("#route") } };\n',
    );
    expect((await box.pipGuard(['trust', join(box.project, 'pip-guard.config.cjs')])).exitCode).toBe(0);

    // The control: this very bundle as `bun build --compile` makes it unless told otherwise, and
    // with the two autoloads that are off by default turned on.
    const control = join(box.dir, 'control');
    execFileSync(
      cachedBunPath(),
      [
        'build',
        join(ROOT, 'dist', 'pip-guard.cjs'),
        '--compile',
        '--compile-autoload-tsconfig',
        '--compile-autoload-package-json',
        '--external',
        'typescript',
        '--outfile',
        control,
      ],
      { cwd: box.dir, stdio: 'pipe' },
    );
    const pip = echoingPip(box);
    const settings = async (binary: string) => {
      const shown = await box.run(binary, ['config']);
      expect(shown.exitCode).toBe(0);
      const list = await box.run(binary, ['--pip-guard-shim', 'pip', pip, 'list']);
      return {
        policy: /^ {2}policy +(\S+)/m.exec(shown.stdout)?.[1],
        path: /^ {2}venv\.path +(\S+)/m.exec(shown.stdout)?.[1],
        route: /^ {2}venv\.route +(\S+)/m.exec(shown.stdout)?.[1],
        pip: list.stdout,
      };
    };

    expect(await settings(control)).toEqual({
      policy: 'block',
      path: 'from-tsconfig',
      route: 'false',
      pip: 'pip list index=http://127.0.0.1:9/from-dotenv options=unset be=unset\n',
    });
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    expect(await settings(CLI)).toEqual({
      policy: 'auto',
      path: '.venv',
      route: 'true',
      pip: 'pip list index=unset options=unset be=unset\n',
    });
    expect(existsSync(marker)).toBe(false);
  });
});
