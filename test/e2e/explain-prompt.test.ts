import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { notices, type Sandbox, sandbox } from './harness.js';

// pip-guard's own commands run from a subdirectory of the project.
const inSrc = (box: Sandbox) => ({ cwd: join(box.project, 'src') });

describe('pip-guard explain', () => {
  it('prints the plan and creates nothing', async () => {
    const box = sandbox();
    const result = await box.pipGuard(['explain', '--', 'install', ...box.offline, 'demo'], inSrc(box));
    expect(result.exitCode).toBe(0);
    const venv = join(box.project, '.venv');
    expect(result.stdout).toContain(
      `pip-guard explain: pip install --no-index --find-links ${box.wheels} demo`,
    );
    expect(result.stdout).toContain(`real pip:     /usr/bin/pip, on /usr/bin/python3 (Python ${PY})`);
    expect(result.stdout).toContain(
      'PEP 668:      pip would refuse: /usr/bin/python3 is externally managed (PEP 668)',
    );
    expect(result.stdout).toContain('policy:       auto (the default)');
    expect(result.stdout).toContain(`$ /usr/bin/python3 -m venv --without-pip ${venv}`);
    expect(result.stdout).toContain(`$ ${venv}/bin/pip install --no-index --find-links ${box.wheels} demo`);
    expect(existsSync(venv)).toBe(false);
    expect(readdirSync(box.home)).toEqual([]);
  });

  it('speaks for the name given by --as: its real program, and the venv’s of that name', async () => {
    const box = sandbox();
    const venv = join(box.project, '.venv');
    const result = await box.pipGuard(['explain', '--as', 'pip3', '--', 'install', 'x'], inSrc(box));
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'pip-guard explain: pip3 install x',
      `  real pip:     /usr/bin/pip3, on /usr/bin/python3 (Python ${PY})`,
      '  PEP 668:      pip would refuse: /usr/bin/python3 is externally managed (PEP 668)',
      '  config files: none',
      '  policy:       auto (the default)',
      `  venv:         ${venv} (missing)`,
      // What it ran to learn the facts: the interpreter's answer about PEP 668 (not kept).
      '  ran:',
      "      $ /usr/bin/python3 -I -c 'import json, os, re, site, sys, sysconfi…'",
      '  plan:         /usr/bin/python3 is externally managed (PEP 668); the venv, chosen by the default',
      `    create the venv ${venv} and run pip in ${venv}`,
      `      pip seeded from /usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl and /usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl (unpacked once into pip-guard's cache, then linked in, as virtualenv does)`,
      "      the venv's own files (pyvenv.cfg, bin/python, the activate scripts) written from pip-guard's copy of what `python -m venv --without-pip` wrote, where it keeps one for such a path; else by that command",
      `      $ /usr/bin/python3 -m venv --without-pip ${venv}`,
      `      $ ${venv}/bin/pip3 install x`,
      '',
    ]);
    expect(existsSync(venv)).toBe(false);
  });

  it('--json parses, and names the config file and key that decided', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.yaml'), 'packages:\n  demo-app: pipx\n');
    const result = await box.pipGuard(['explain', '--json', '--', 'install', 'demo-app', 'demo'], inSrc(box));
    const json = JSON.parse(result.stdout);
    expect(json.pep668).toEqual({
      refuses: true,
      reason: '/usr/bin/python3 is externally managed (PEP 668)',
    });
    expect(json.config.files).toEqual([{ kind: 'project', file: join(box.project, '.pip-guardrc.yaml') }]);
    expect(json.plan.kind).toBe('sequence');
    expect(json.plan.steps.map((s: { kind: string; reason: string }) => s.kind)).toEqual(['pipx', 'venv']);
    expect(json.plan.steps[0].reason).toContain(
      `pipx, chosen by ${join(box.project, '.pip-guardrc.yaml')} (packages.demo-app)`,
    );
    expect(json.commands[0]).toEqual([
      '/usr/bin/pipx',
      'install',
      '--python',
      '/usr/bin/python3',
      'demo-app',
    ]);
    // The venv fallback for what pipx refuses runs only then: not listed as a command that runs.
    expect(json.commands.slice(1)).toEqual([
      ['/usr/bin/python3', '-m', 'venv', '--without-pip', join(box.project, '.venv')],
      [join(box.project, '.venv', 'bin', 'pip'), 'install', 'demo'],
    ]);
    const text = await box.pipGuard(['explain', '--', 'install', 'demo-app', 'demo'], inSrc(box));
    expect(text.stdout).toContain('and only if pipx refuses a package for having no commands:');
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('says when pip would not refuse', async () => {
    const box = sandbox();
    const result = await box.pipGuard(['explain', '--', 'install', '--target', '/tmp/t', 'demo'], inSrc(box));
    expect(result.stdout).toContain('pip would not refuse: --target is set on the command line');
    expect(result.stdout).toContain('run the real pip as typed');
  });
});

// Runs `pip ARGS` on a real pseudo-terminal (util-linux `script`), answering the prompt with
// `keys` once the question shows.
function pipOnTerminal(box: Sandbox, args: string[], keys: string, env: Record<string, string>) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    // A pty made from a pipe has no size: give it one, or the prompt wraps every character.
    const command = `stty cols 120 rows 40; ${['pip', ...args].map((a) => `'${a}'`).join(' ')}`;
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      cwd: box.project,
      env: { ...box.env, ...env, TERM: 'xterm' },
    });
    let output = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('Where should pip install')) {
        answered = true;
        child.stdin.write(keys);
      }
    });
    const stop = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (code) => {
      clearTimeout(stop);
      resolve({ code, output });
    });
  });
}

describe('policy prompt', () => {
  it('asks on a terminal and does what was answered (Enter: the preselected venv)', async () => {
    const box = sandbox();
    const result = await pipOnTerminal(box, ['install', ...box.offline, 'demo'], '\r', {
      PIP_GUARD_POLICY: 'prompt',
    });
    expect(result.output).toContain(
      '/usr/bin/python3 is externally managed (PEP 668). Where should pip install demo?',
    );
    expect(result.output).toContain('into the project venv');
    expect(result.code).toBe(0);
    expect(result.output).toContain('Successfully installed demo-1.1');
    expect((await box.run(join(box.project, '.venv', 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(
      0,
    );
  });

  it('blocks when that is the answer', async () => {
    const box = sandbox();
    const result = await pipOnTerminal(box, ['install', 'demo'], '\x1b[B\x1b[B\r', {
      PIP_GUARD_POLICY: 'prompt',
    });
    expect(result.code).toBe(1);
    expect(result.output).toContain('keeps installs out of it, so nothing was installed');
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it('without a terminal, does what nonInteractive says', async () => {
    const box = sandbox();
    writeFileSync(
      join(box.project, '.pip-guardrc.json'),
      '{ "policy": "prompt", "nonInteractive": "block" }',
    );
    const blocked = await box.pip(['install', 'demo']);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.stderr).toContain(
      `policy block (${join(box.project, '.pip-guardrc.json')} (nonInteractive), as nobody can be asked here)`,
    );
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "policy": "prompt" }');
    const auto = await box.pip(['install', ...box.offline, 'demo']);
    expect(auto.exitCode).toBe(0);
    expect(notices(auto.stderr)[0]).toContain('so pip installed into a new venv');
  });
});
