// pip-guard init: `python3 -m pip` through pip-guard in real bash, zsh and fish, and every other
// use of the interpreter exactly as without the functions.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esc, PIP_VERSION, PY } from './env.js';
import { notices, type RunOptions, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';

const SHELLS = {
  bash: { program: '/bin/bash', flags: ['--norc', '--noprofile'], init: 'eval "$(pip-guard init bash)"' },
  zsh: { program: '/usr/bin/zsh', flags: ['-f'], init: 'eval "$(pip-guard init zsh)"' },
  fish: { program: '/usr/bin/fish', flags: ['--no-config'], init: 'pip-guard init fish | source' },
} as const;
type ShellName = keyof typeof SHELLS;
const NAMES = Object.keys(SHELLS) as ShellName[];

// SCRIPT in SHELL, with the functions of `pip-guard init` defined first or not.
function inShell(box: Sandbox, shell: ShellName, script: string, init: boolean, options: RunOptions = {}) {
  const { program, flags, init: line } = SHELLS[shell];
  return box.run(program, [...flags, '-c', init ? `${line}\n${script}` : script], options);
}

// Commands whose every byte of output and exit code must not change ($$ is the shell's pid:
// the interpreter is its child, with nothing in between).
const TRANSPARENT: { script: string; input?: string }[] = [
  { script: `python3 -c 'import sys; print(sys.orig_argv)' a 'b c' '' -m pip` },
  { script: 'python3 -m pip --version' },
  { script: 'python3 -mpip --version' },
  { script: 'python3 -m pip' },
  { script: 'python3 -m pip list --help' },
  {
    script: "python3 -c 'import sys; d = sys.stdin.read(); print(d[::-1]); sys.exit(len(d))'",
    input: 'hello\n',
  },
  { script: `python3 -c 'import sys; sys.stderr.write("to stderr\\n"); raise SystemExit(7)'` },
  { script: 'python3 -m json.tool', input: '{"a": [1, 2]}' },
  { script: 'python3', input: 'import sys\nprint(6 * 7, sys.argv)\n' },
  { script: 'python3 -', input: 'print("dash")\n' },
  { script: 'python3 script.py one "two words"' },
  { script: 'python3 -m' },
  { script: 'python3 -I -m pip --version' },
  { script: `python${PY} -c 'import sys; print(sys.orig_argv)'` },
  { script: 'python3 -m venv --without-pip made && test -f made/pyvenv.cfg && echo made' },
];

describe('pip-guard init', () => {
  it.each(NAMES)('%s: python3 -m pip install lands in the project .venv', async (shell) => {
    const box = sandbox();
    const result = await inShell(
      box,
      shell,
      `cd src; python3 -m pip install --no-index --find-links ${box.wheels} demo`,
      true,
    );
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(result.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${box.project}/.venv (Python ${PY}); \`python3\` here uses it`,
    ]);
    const listed = await box.run(join(box.project, '.venv', 'bin', 'python'), ['-m', 'pip', 'list']);
    expect(listed.stdout).toMatch(/^demo +1\.1$/m);
  });

  it.each(NAMES)('%s: everything else behaves exactly as without the functions', async (shell) => {
    const box = sandbox();
    writeFileSync(join(box.project, 'script.py'), 'import sys\nprint(sys.argv, __name__)\nsys.exit(3)\n');
    for (const { script, input } of TRANSPARENT) {
      // Side by side, each in a directory of its own.
      const run = (init: boolean) => {
        const cwd = join(box.dir, `${init}`);
        mkdirSync(cwd, { recursive: true });
        writeFileSync(join(cwd, 'script.py'), readFileSync(join(box.project, 'script.py')));
        return inShell(box, shell, script, init, { input, cwd });
      };
      const [plain, guarded] = await Promise.all([run(false), run(true)]);
      const pick = (r: typeof plain) => ({
        script,
        exitCode: r.exitCode,
        stdout: r.stdout,
        stderr: r.stderr,
      });
      expect(pick(guarded)).toEqual(pick(plain));
    }
    const pid = shell === 'fish' ? '$fish_pid' : '$$';
    const parent = await inShell(
      box,
      shell,
      `python3 -c 'import os; print(os.getppid())'; echo ${pid}`,
      true,
    );
    const [child, self] = parent.stdout.trim().split('\n');
    expect(child).toBe(self);
  });

  it('catches -mpip and python3.N, and names the command as typed', async () => {
    const box = sandbox();
    const offline = `--no-index --find-links ${box.wheels}`;
    const install = await inShell(box, 'bash', `python${PY} -mpip install ${offline} demo==1.0`, true);
    expect(install.exitCode).toBe(0);
    expect(existsSync(join(box.project, '.venv', 'bin', 'python'))).toBe(true);
    const list = await inShell(box, 'bash', 'python3 -m pip list', true);
    expect(list.stdout).toMatch(/^demo +1\.0$/m);
    expect(notices(list.stderr)).toEqual([
      `pip-guard: this is ${box.project}/.venv, this project's venv (/usr/bin/python3 is externally managed); PIP_GUARD_POLICY=off python3 -m pip list shows the system's packages`,
    ]);
    const explain = await box.pipGuard(['explain', '--as', 'python3', 'install', 'demo']);
    expect(explain.stdout).toContain('pip-guard explain: python3 -m pip install demo\n');
    expect(explain.stdout).toContain(
      `  real pip:     /usr/bin/python3 -m pip, on /usr/bin/python3 (Python ${PY})\n`,
    );
    expect(explain.stdout).toContain(`      $ ${box.project}/.venv/bin/python -m pip install demo\n`);
  });

  it('runs the interpreter found on PATH with its words as typed, and leaks nothing', async () => {
    const box = sandbox();
    // A stand-in python3 that shows what it was given.
    const bin = join(box.dir, 'fake');
    mkdirSync(bin);
    const shown = '"[$' + '{_PIP_GUARD_PYTHON-unset}]"';
    writeFileSync(join(bin, 'python3'), `#!/bin/sh\necho "$0" "$@" ${shown}\n`, {
      mode: 0o755,
    });
    const path = `${box.shims}:${bin}:${SYSTEM_PATH}`;
    const result = await inShell(box, 'bash', "python3 -m pip --version 'a  b'; python3 -mpip -q", true, {
      env: { PATH: path },
    });
    expect(result.stdout).toBe(
      `${bin}/python3 -m pip --version a  b [unset]\n${bin}/python3 -mpip -q [unset]\n`,
    );
  });

  it('runs python3 -m pip itself once the shim is gone, and says when there is no interpreter', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'bin');
    await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    const env = { PATH: `${dir}:${SYSTEM_PATH}` };
    const script =
      'eval "$(pip-guard init bash)"; "$(command -v pip-guard)" teardown --dir "$0" >/dev/null; python3 -m pip --version';
    const gone = await box.run('/bin/bash', ['-c', script, dir], { env });
    expect(gone.stdout).toMatch(new RegExp(`^pip ${esc(PIP_VERSION)} from `));
    const missing = await inShell(box, 'bash', 'python -m pip install demo', true);
    expect(missing.exitCode).toBe(127);
    expect(missing.stderr).toBe('pip-guard: python: command not found\n');
  });

  it('prints functions only where there are shims, and for bash, zsh or fish', async () => {
    const box = sandbox();
    const none = await box.pipGuard(['init', 'bash'], { env: { PATH: SYSTEM_PATH } });
    expect(none.exitCode).toBe(1);
    expect(none.stderr).toContain('run `pip-guard setup` first');
    const sh = await box.pipGuard(['init', 'sh']);
    expect(sh.exitCode).toBe(2);
    expect(sh.stderr).toContain('Invalid values:');
    const named = await box.pipGuard(['init', 'zsh', '--dir', box.shims], { env: { PATH: SYSTEM_PATH } });
    expect(named.stdout).toContain(
      `_PIP_GUARD_PYTHON=$_pip_guard_name _PIP_GUARD_PYTHON_ARGC=$_pip_guard_skip ${box.shims}/pip "$@"`,
    );
    // Only for names without a python shim there: python (a venv's), not python3 or python3.N.
    expect(named.stdout).toContain('function python { _pip_guard_python python "$@"; }\n');
    expect(named.stdout).not.toContain(`function python${PY} `);
    expect(named.stdout).not.toContain('function python3 ');
  });
});
