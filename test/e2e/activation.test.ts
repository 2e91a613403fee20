// Using what was installed: the prompt hook of `pip-guard init --activate` in real interactive
// bash, zsh and fish on a pseudo-terminal, `pip-guard activate` in each, and `pip-guard run`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esc, PIP_VERSION, PY } from './env.js';
import { notices, type Sandbox, sandbox } from './harness.js';
import { openTerminal, SHELL_NAMES, type ShellName } from './terminal.js';

// A venv made by hand in DIR (no pip: none is needed to be active), vetted by pip-guard unless
// told otherwise: `pip-guard run` once there, as any pip command through pip-guard would.
async function venvIn(box: Sandbox, dir: string, { vet = true, args = [] as string[] } = {}) {
  execFileSync('/usr/bin/python3', ['-m', 'venv', '--without-pip', ...args, join(dir, '.venv')]);
  if (vet) expect((await box.pipGuard(['run', 'true'], { cwd: dir })).exitCode).toBe(0);
}

// A project of its own with a venv already made.
async function secondProject(box: Sandbox, name: string, vet = true): Promise<string> {
  const dir = join(box.dir, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'requirements.txt'), '');
  await venvIn(box, dir, { vet });
  return dir;
}

// The source command of a venv's own activate script in SHELL.
const sourceActivate = (shell: ShellName, venv: string) =>
  shell === 'fish' ? `source ${venv}/bin/activate.fish` : `. ${venv}/bin/activate`;

// bash's PS1 as the prompt shows it (its parameters expanded).
// biome-ignore lint/suspicious/noTemplateCurlyInString: bash's expansion, typed into bash
const PROMPT_SHOWN = '${PS1@P}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: VIRTUAL_ENV under set -u, typed into bash
const UNSET_OK = '${VIRTUAL_ENV-}';

// `pipx.apps` of the user's config: auto sends demo-app to pipx.
function demoAppIsAnApp(box: Sandbox): void {
  mkdirSync(join(box.home, '.config', 'pip-guard'), { recursive: true });
  writeFileSync(join(box.home, '.config', 'pip-guard', 'config.json'), '{"pipx": {"apps": ["demo-app"]}}');
}

describe('pip-guard init --activate: the prompt hook', () => {
  it.each(SHELL_NAMES)(
    '%s: after pip install the next prompt has the venv active; it follows cd, leaves a hand-activated venv alone, and goes with the venv',
    async (shell) => {
      const box = sandbox();
      const venv = join(box.project, '.venv');
      const t = await openTerminal(box, shell, { env: box.offlineEnv });
      try {
        const install = await t.type('pip install demo');
        expect(install).toContain('Successfully installed demo-1.1');
        expect(install).toContain(
          `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python ${PY}); it is active in this shell from the next prompt`,
        );
        expect(await t.value('$VIRTUAL_ENV')).toBe(venv);
        expect(await t.succeeds(`python3 -c 'import demo'`)).toBe(true);
        expect(await t.value('$VIRTUAL_ENV_PROMPT')).toBe('(.venv) ');

        await t.type('cd /');
        expect(await t.value('$VIRTUAL_ENV')).toBe('');
        expect(await t.succeeds(`python3 -c 'import demo' 2>/dev/null`)).toBe(false);

        const second = await secondProject(box, 'second');
        await t.type(`cd ${second}`);
        expect(await t.value('$VIRTUAL_ENV')).toBe(join(second, '.venv'));
        expect(await t.value('$PATH')).not.toContain(venv);

        // Somebody's own venv, activated by hand: it stays across every cd until deactivated.
        const hand = await secondProject(box, 'hand', false);
        await t.type(sourceActivate(shell, join(hand, '.venv')));
        for (const dir of [box.project, '/', second]) {
          await t.type(`cd ${dir}`);
          expect(await t.value('$VIRTUAL_ENV')).toBe(join(hand, '.venv'));
        }
        await t.type('deactivate');
        expect(await t.value('$VIRTUAL_ENV')).toBe(join(second, '.venv'));

        await t.type(`cd ${box.project}/src`);
        expect(await t.value('$VIRTUAL_ENV')).toBe(venv);
        await t.type(`rm -rf ${venv}`);
        expect(await t.value('$VIRTUAL_ENV')).toBe('');
        expect(await t.value('$PATH')).not.toContain(venv);
      } finally {
        await t.close();
      }
    },
  );

  it.each(SHELL_NAMES)(
    '%s: in an activated project, a command-line app still goes to pipx and runs by name in the same session',
    async (shell) => {
      const box = sandbox();
      demoAppIsAnApp(box);
      const t = await openTerminal(box, shell, { env: box.offlineEnv });
      try {
        await t.type('pip install demo==1.0');
        expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, '.venv'));
        const app = await t.type('pip install demo-app');
        expect(app).toContain('installed package demo-app 1.1');
        expect(app).toContain(
          `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so demo-app went to pipx: run demo-app (linked in ${box.pipxBin}); ${box.pipxBin} is on this shell's PATH from the next prompt`,
        );
        expect(existsSync(join(box.project, '.venv', 'bin', 'demo-app'))).toBe(false);
        const ran = await t.type('demo-app');
        expect(ran).toContain('demo-app 1.1');
        expect(await t.succeeds(`python3 -c 'import demo'`)).toBe(true);
        // pip's own commands still see the project's venv.
        const list = await t.type('pip list');
        expect(list).toMatch(/demo +1\.0/);
        expect(list).not.toMatch(/demo-app/);
      } finally {
        await t.close();
      }
    },
  );

  it.each(SHELL_NAMES)('%s: the hook starts no process at a prompt', async (shell) => {
    const box = sandbox();
    const log = join(box.dir, 'strace.log');
    const marker = join(box.dir, 'marker');
    mkdirSync(marker);
    for (const name of ['start', 'end']) writeFileSync(join(marker, name), '#!/bin/sh\n', { mode: 0o755 });
    const second = await secondProject(box, 'second');
    await venvIn(box, box.project);
    const t = await openTerminal(box, shell, { strace: log });
    const seen: string[] = [];
    try {
      // fish's own default prompt asks git about the directory: a prompt of its own here, so that
      // what runs at a prompt is the hook alone.
      if (shell === 'fish') await t.type("function fish_prompt; echo -n '> '; end");
      // Two programs mark where the prompts under test begin and end.
      await t.type(`${marker}/start`);
      for (const dir of [box.project, `${box.project}/src`, '/', second, box.project, marker]) {
        await t.type(`cd ${dir}`);
        seen.push(await t.value('$VIRTUAL_ENV'));
      }
      await t.type(`${marker}/end`);
    } finally {
      await t.close();
    }
    const venvs = [box.project, box.project, '', second, box.project, ''].map((dir) => dir && `${dir}/.venv`);
    expect(seen).toEqual(venvs);
    const lines = readFileSync(log, 'utf8').split('\n');
    const start = lines.findIndex((line) => line.includes(`execve("${marker}/start"`));
    const end = lines.findIndex((line) => line.includes(`execve("${marker}/end"`));
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    // Between them the hook switched venvs six times with nothing but the shell itself: the one
    // new process is the end marker's (fish's threads are no processes).
    const between = lines.slice(start + 1, end);
    const started = between.filter(
      (line) => /\b(clone3?|v?fork)\(/.test(line) && !line.includes('CLONE_THREAD'),
    );
    expect(started).toHaveLength(1);
    expect(between.filter((line) => line.includes('execve('))).toEqual([]);
  });

  it.each(['bash', 'zsh'] as const)(
    '%s: shows the venv in the prompt as activate does, unless VIRTUAL_ENV_DISABLE_PROMPT is set',
    async (shell) => {
      const box = sandbox();
      await venvIn(box, box.project, { args: ['--prompt', 'my proj'] });
      for (const disabled of [false, true]) {
        const t = await openTerminal(box, shell, {
          cwd: box.dir,
          env: disabled ? { VIRTUAL_ENV_DISABLE_PROMPT: '1' } : {},
        });
        try {
          await t.type("PS1='$ '");
          await t.type(`cd ${box.project}`);
          // bash's PS1 names the venv by reference (promptvars): as the prompt shows it.
          const shown = shell === 'bash' ? PROMPT_SHOWN : '$PS1';
          expect(await t.value(shown)).toBe(disabled ? '$ ' : '(my proj) $ ');
          expect(await t.value('$VIRTUAL_ENV_PROMPT')).toBe(disabled ? '' : '(my proj) ');
          await t.type('cd /');
          expect(await t.value('$PS1')).toBe('$ ');
        } finally {
          await t.close();
        }
      }
    },
  );

  it("never activates a venv pip-guard has not vetted: a repository's own is refused, and a name in pyvenv.cfg is shown, never run", async () => {
    const box = sandbox();
    const run = (args: string[]) => box.run('git', ['-C', box.project, ...args]);
    await run(['init', '-q']);
    await venvIn(box, box.project, { vet: false, args: ['--prompt', '$(touch pwned)'] });
    writeFileSync(join(box.project, '.venv', 'bin', 'ls'), '#!/bin/sh\ntouch shadowed\n', { mode: 0o755 });
    await run(['add', '-f', '.venv']);
    const t = await openTerminal(box, 'bash', { cwd: box.dir });
    try {
      await t.type(`cd ${box.project}`);
      expect(await t.value('$VIRTUAL_ENV')).toBe('');
      await t.type('ls >/dev/null');
      const refused = await t.type('pip-guard run true');
      expect(refused).toContain(
        'it is committed to this repository, so running its pip, or anything in its bin/, would run somebody else',
      );
      expect(await t.succeeds('pip-guard run true')).toBe(false);
      // Not committed: the first pip-guard run vets it, and the next prompt activates it.
      await run(['rm', '-q', '--cached', '-r', '.venv']);
      expect(await t.succeeds('pip-guard run true')).toBe(true);
      expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, '.venv'));
      expect(await t.value(PROMPT_SHOWN)).toContain('($(touch pwned)) ');
    } finally {
      await t.close();
    }
    expect(existsSync(join(box.project, 'pwned'))).toBe(false);
    expect(existsSync(join(box.project, 'shadowed'))).toBe(false);
  });

  it('bash: holds under set -u and failglob, and python -m pip in the activated venv still goes through pip-guard', async () => {
    const box = sandbox();
    await venvIn(box, box.project);
    const t = await openTerminal(box, 'bash', { cwd: box.dir, env: box.offlineEnv });
    try {
      await t.type('set -u; shopt -s failglob');
      const shown = await t.type(`cd ${box.project}/src`);
      expect(shown).not.toMatch(/unbound variable|no match/);
      expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, '.venv'));
      expect(await t.type('python -m pip --version')).toMatch(
        new RegExp(`pip ${esc(PIP_VERSION)} from \\/usr\\/lib\\/python3\\/dist-packages\\/pip`),
      );
      const install = await t.type('python -m pip install demo==1.0');
      expect(install).toContain(
        `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into ${box.project}/.venv (Python ${PY})`,
      );
      expect(await t.succeeds(`python3 -c 'import demo'`)).toBe(true);
      await t.type('cd /tmp');
      expect(await t.value(UNSET_OK)).toBe('');
    } finally {
      await t.close();
    }
  });

  it('says "from the next prompt" only where the next prompt does it: a nested project, a subshell elsewhere, a symlinked directory', async () => {
    const box = sandbox();
    const link = join(box.dir, 'link');
    symlinkSync(box.project, link);
    const second = await secondProject(box, 'second');
    const t = await openTerminal(box, 'bash', { cwd: box.dir, env: box.offlineEnv });
    try {
      // Through a symlink: the hook walks PWD as written, and pip-guard leaves its record there too.
      await t.type(`cd ${link}/src`);
      expect(await t.type('pip install demo==1.0')).toContain(
        'it is active in this shell from the next prompt',
      );
      expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, '.venv'));
      expect(notices(await t.type('pip install demo==1.0')).join('')).not.toContain('use it with');
      // A project made inside it, in the same directory: the next prompt switches to its venv.
      await t.type(`mkdir ${box.project}/src/pkg && cd ${box.project}/src/pkg && touch pyproject.toml`);
      expect(await t.type('pip install demo==1.0')).toContain(
        'it is active in this shell from the next prompt',
      );
      expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, 'src', 'pkg', '.venv'));
      // A subshell that went elsewhere: this shell's next prompt stays where it is.
      const elsewhere = await t.type(`(cd ${second} && pip install demo==1.0)`);
      expect(elsewhere).toContain('`python3` here uses it');
      expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, 'src', 'pkg', '.venv'));
    } finally {
      await t.close();
    }
  });

  it('keeps the venv of a project whose config names it (venv.path), as pip-guard left it for the hook', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{"venv": {"path": "envs/dev"}}');
    const t = await openTerminal(box, 'bash', { env: box.offlineEnv });
    try {
      const install = await t.type('pip install demo');
      expect(install).toContain('it is active in this shell from the next prompt');
      expect(await t.value('$VIRTUAL_ENV')).toBe(join(box.project, 'envs', 'dev'));
    } finally {
      await t.close();
    }
  });

  it('says how the venv is used instead where the hook is not in the shell pip was typed in: through the python shims', async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${box.project}/.venv (Python ${PY}); \`python3\` here uses it`,
    ]);
    // A marker left by another shell (this one's parent is not that shell) promises nothing.
    const other = await box.pip(['install', ...box.offline, 'demo==1.0'], {
      env: { _PIP_GUARD_INIT: '1 functions hook' },
    });
    expect(notices(other.stderr)[0]).toContain('`python3` here uses it');
    expect(notices(other.stderr)[0]).not.toContain('from the next prompt');
  });
});

describe('pip-guard activate', () => {
  it.each(SHELL_NAMES)(
    '%s: activates the venv in the shell that evaluates it, with the policy still in force',
    async (shell) => {
      const box = sandbox();
      demoAppIsAnApp(box);
      await box.pip(['install', ...box.offline, 'demo']);
      const venv = join(box.project, '.venv');
      const t = await openTerminal(box, shell, { env: box.offlineEnv, init: false });
      try {
        const typed =
          shell === 'fish' ? 'pip-guard activate fish | source' : `eval "$(pip-guard activate ${shell})"`;
        await t.type(typed);
        expect(await t.value('$VIRTUAL_ENV')).toBe(venv);
        expect(await t.succeeds(`python3 -c 'import demo'`)).toBe(true);
        await t.type('cd /');
        expect(await t.value('$VIRTUAL_ENV')).toBe(venv);
        await t.type(`cd ${box.project}`);
        const app = await t.type('pip install demo-app');
        expect(app).toContain(`so demo-app went to pipx`);
        expect(existsSync(join(venv, 'bin', 'demo-app'))).toBe(false);
        await t.type('deactivate');
        expect(await t.value('$VIRTUAL_ENV')).toBe('');
        expect(await t.value('$PATH')).not.toContain(venv);
        // On a terminal, with nothing to evaluate it: how to use it.
        const shown = await t.type('pip-guard activate');
        expect(shown).toContain(
          `pip-guard: pip-guard activate prints the shell code that activates ${venv} in your shell`,
        );
        expect(await t.succeeds('pip-guard activate')).toBe(false);
      } finally {
        await t.close();
      }
    },
  );

  it('in sh, and with no venv here: one paragraph, exit 1, and nothing made', async () => {
    const box = sandbox();
    const none = await box.pipGuard(['activate', 'sh']);
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(
      `pip-guard: this project's venv ${box.project}/.venv does not exist yet, so there is nothing to activate. pip-guard makes it at the first install that pip refuses here, such as \`pip install requests\`; then \`pip-guard activate\` uses it.\n`,
    );
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    await box.pip(['install', ...box.offline, 'demo']);
    const code = (await box.pipGuard(['activate', 'sh'])).stdout;
    const used = await box.run('/bin/dash', [
      '-c',
      `${code}\npython3 -c 'import demo, sys; print(sys.prefix)'; deactivate; echo "[$VIRTUAL_ENV]"`,
    ]);
    expect(used.stdout).toBe(`${box.project}/.venv\n[]\n`);
  });
});

describe('pip-guard run', () => {
  it("runs the command with the project's venv active, and passes stdin, output and the exit code", async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo']);
    const venv = join(box.project, '.venv');
    const shown = await box.pipGuard(
      [
        'run',
        'python3',
        '-c',
        'import demo, os, sys; print(sys.prefix, os.environ["VIRTUAL_ENV"], os.environ["VIRTUAL_ENV_PROMPT"], "PYTHONHOME" in os.environ, sys.stdin.read()); sys.exit(7)',
      ],
      { cwd: join(box.project, 'src'), input: 'fed', env: { PYTHONHOME: '/nowhere' } },
    );
    expect(shown).toMatchObject({ exitCode: 7, stderr: '', stdout: `${venv} ${venv} (.venv)  False fed\n` });
    // Everything after run is the command's, options included.
    const dashed = await box.pipGuard([
      'run',
      '--',
      'python3',
      '-c',
      'import sys; print(sys.argv[1:])',
      '-h',
      '--x',
    ]);
    expect(dashed.stdout).toBe("['-h', '--x']\n");
    const found = await box.pipGuard(['run', 'sh', '-c', 'command -v python3']);
    expect(found.stdout).toBe(`${venv}/bin/python3\n`);
    const missing = await box.pipGuard(['run', 'no-such-command']);
    expect(missing).toMatchObject({
      exitCode: 127,
      stderr: `pip-guard: no-such-command: command not found, neither in ${venv}/bin nor on PATH.\n`,
    });
  });

  it('ends as the command does on a SIGTERM sent to pip-guard, which passes it on', async () => {
    const box = sandbox();
    await box.pip(['install', ...box.offline, 'demo']);
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('./harness.js');
    const child = spawn(
      CLI,
      ['run', 'python3', '-c', 'import time; print("ready", flush=True); time.sleep(60)'],
      { cwd: box.project, env: box.env },
    );
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGTERM');
    const ended = await new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('close', (_, signal) => resolve(signal)),
    );
    expect(ended).toBe('SIGTERM');
  });

  it('says there is no venv yet, in the project and outside one, and makes none', async () => {
    const box = sandbox();
    const inProject = await box.pipGuard(['run', 'python3', '-c', 'print(1)']);
    expect(inProject).toMatchObject({
      exitCode: 1,
      stdout: '',
      stderr: `pip-guard: this project's venv ${box.project}/.venv does not exist yet, so there is nothing to run the command in (it did not run). pip-guard makes it at the first install that pip refuses here, such as \`pip install requests\`; then \`pip-guard run\` uses it.\n`,
    });
    const outside = await box.pipGuard(['run', 'python3', '-c', 'print(1)'], { cwd: box.dir });
    expect(outside.exitCode).toBe(1);
    expect(outside.stderr).toContain(
      `outside any project, pip-guard installs into its default venv ${box.home}/.local/share/pip-guard/venvs/python${PY}, which does not exist yet`,
    );
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    expect(existsSync(join(box.home, '.local', 'share', 'pip-guard', 'venvs'))).toBe(false);
    const usage = await box.pipGuard(['run']);
    expect(usage.exitCode).toBe(2);
  });

  it('gives a broken venv the paragraph an install gets', async () => {
    const box = sandbox();
    mkdirSync(join(box.project, '.venv'));
    const install = await box.pip(['install', ...box.offline, 'demo']);
    const run = await box.pipGuard(['run', 'python3', '-c', 'print(1)']);
    expect(run.exitCode).toBe(1);
    const paragraph = (text: string) =>
      text
        .replace(/install into it|run anything in it/, 'X')
        .replace(/run pip again|run `pip-guard run` again/g, 'Y');
    expect(paragraph(run.stderr)).toBe(paragraph(install.stderr));
    rmSync(join(box.project, '.venv'), { recursive: true });
  });
});
