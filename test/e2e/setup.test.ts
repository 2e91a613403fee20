// setup and teardown as users run them: --modify-path on each shell's rc file, the directories
// setup makes, pip-guard itself on PATH, and --system (as root and as not).
import {
  chmodSync,
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { esc, PIP_VERSION, PY } from './env.js';
import { BUNDLE, CLI, NODE24, runIn, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';
import { openTerminal } from './terminal.js';

const BLOCK_START = '# >>> pip-guard >>>';

// Every file under DIR with its bytes (or 'dir'), to compare a tree before and after.
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        files[path] = 'dir';
        walk(path);
      } else {
        files[path] = `${(stat.mode & 0o777).toString(8)} ${readFileSync(path, 'latin1')}`;
      }
    }
  };
  walk(dir);
  return files;
}

// `sh -c SCRIPT` as user nobody (uid 65534), from /, for what other users of the machine see.
const asNobody = (box: Sandbox, args: string[], env: Record<string, string> = {}) =>
  runIn(box.env, 'setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', ...args], {
    cwd: '/',
    env,
  });

// Each shell and the rc file setup --modify-path edits for it (zsh also under ZDOTDIR).
const shells = [
  { shell: '/bin/bash', rc: '.bashrc' },
  { shell: '/usr/bin/zsh', rc: '.zshrc' },
  { shell: '/usr/bin/zsh', rc: 'zdot/.zshrc', ZDOTDIR: 'zdot' },
  { shell: '/usr/bin/fish', rc: '.config/fish/conf.d/pip-guard.fish' },
  { shell: '/bin/dash', rc: '.profile' },
];

describe('setup --modify-path', () => {
  it.each(shells)(
    'adds the PATH line to $rc for $shell once, and teardown gives the file back byte for byte',
    async ({ shell, rc, ZDOTDIR }) => {
      for (const before of [
        undefined,
        '',
        '# mine\nalias ll="ls -l"\n',
        '# mine, with no newline at the end',
      ]) {
        const box = sandbox();
        const dir = join(box.home, '.local', 'share', 'pip-guard', 'bin');
        const file = join(box.home, rc);
        const extra = {
          SHELL: shell,
          PATH: SYSTEM_PATH,
          ...(ZDOTDIR ? { ZDOTDIR: join(box.home, ZDOTDIR) } : {}),
        };
        if (before !== undefined) {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, before, { mode: 0o640 });
        }
        const home = snapshot(box.home);

        const first = await box.pipGuard(['setup', '--modify-path'], { env: extra });
        expect(first.stderr).toBe('');
        expect(first.exitCode).toBe(0);
        // pipx's bin directory is not on this PATH: the block adds it, as `pipx ensurepath` would.
        expect(first.stdout).toContain(
          `pip-guard: added ${dir} and pipx's ${box.pipxBin} to PATH in ~/${rc}, between`,
        );
        const again = await box.pipGuard(['setup', '--modify-path'], { env: extra });
        expect(again.stdout).toContain(`already puts ${dir} and pipx's ${box.pipxBin} on PATH`);
        const text = readFileSync(file, 'utf8');
        expect(text.split(BLOCK_START)).toHaveLength(2);
        expect(text.startsWith(before ?? '')).toBe(true);
        const lines = shell.endsWith('fish')
          ? [
              'fish_add_path --path --move "$HOME/.local/share/pip-guard/bin"',
              `fish_add_path --path --append "${box.pipxBin}"`,
            ]
          : [
              'export PATH="$HOME/.local/share/pip-guard/bin:$PATH"',
              `case ":$PATH:" in *:"${box.pipxBin}":*) ;; *) export PATH="$PATH:${box.pipxBin}" ;; esac`,
            ];
        expect(text).toContain(`\n${lines.join('\n')}\n# <<< pip-guard <<<\n`);

        const down = await box.pipGuard(['teardown'], { env: extra });
        expect(down.exitCode).toBe(0);
        expect(snapshot(box.home)).toEqual(home);
      }
    },
  );

  it('puts pip and pip-guard on PATH for a shell that reads the rc file (sh, bash)', async () => {
    for (const shell of ['/bin/dash', '/bin/bash']) {
      const box = sandbox();
      const env = { SHELL: shell, PATH: SYSTEM_PATH };
      await box.pipGuard(['setup', '--modify-path'], { env });
      const rc = shell === '/bin/bash' ? '.bashrc' : '.profile';
      const shims = join(box.home, '.local', 'share', 'pip-guard', 'bin');
      const result = await box.run(
        shell,
        ['-c', `. "$HOME/${rc}" && command -v pip && command -v pip-guard && pip-guard --version`],
        { env },
      );
      expect(result.stdout).toBe(`${shims}/pip\n${shims}/pip-guard\n0.1.0\n`);
    }
  });

  it('keeps what the user added since, edits through a symlinked rc file, and prints the line without the flag', async () => {
    const box = sandbox();
    const dotfiles = join(box.dir, 'dotfiles');
    mkdirSync(dotfiles);
    writeFileSync(join(dotfiles, 'bashrc'), 'set -o vi\n');
    symlinkSync(join(dotfiles, 'bashrc'), join(box.home, '.bashrc'));
    const env = { SHELL: '/bin/bash', PATH: SYSTEM_PATH };

    const plain = await box.pipGuard(['setup'], { env });
    expect(plain.stdout).toContain(
      'export PATH="$HOME/.local/share/pip-guard/bin:$PATH"   # add this line to ~/.bashrc, then open a new shell',
    );
    expect(readFileSync(join(dotfiles, 'bashrc'), 'utf8')).toBe('set -o vi\n');

    await box.pipGuard(['setup', '--modify-path'], { env });
    writeFileSync(join(box.home, '.bashrc'), 'alias k=kubectl\n', { flag: 'a' });
    await box.pipGuard(['teardown'], { env });
    expect(lstatSync(join(box.home, '.bashrc')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dotfiles, 'bashrc'), 'utf8')).toBe('set -o vi\nalias k=kubectl\n');
  });

  it('will not add a second block beside one another setup wrote', async () => {
    const box = sandbox();
    const env = { SHELL: '/bin/bash', PATH: SYSTEM_PATH };
    await box.pipGuard(['setup', '--modify-path', '--dir', join(box.dir, 'one')], { env });
    const before = readFileSync(join(box.home, '.bashrc'), 'utf8');
    const two = join(box.dir, 'two');
    const result = await box.pipGuard(['setup', '--modify-path', '--dir', two], { env });
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      `pip-guard: ${box.home}/.bashrc already has a pip-guard block (the lines from "# >>> pip-guard >>>" to "# <<< pip-guard <<<") that this setup did not write: run \`pip-guard teardown\` with the --dir of the setup that wrote it, or delete those lines yourself, then run setup --modify-path again.\n`,
    );
    expect(existsSync(two)).toBe(false);
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).toBe(before);
  });
});

describe('setup --modify-path --python-m-pip', () => {
  const cases = [
    { shell: '/bin/bash', rc: '.bashrc', init: 'eval "$(pip-guard init bash)"', read: '. ~/.bashrc; ' },
    { shell: '/usr/bin/zsh', rc: '.zshrc', init: 'eval "$(pip-guard init zsh)"', read: '. ~/.zshrc; ' },
    // fish reads conf.d by itself.
    {
      shell: '/usr/bin/fish',
      rc: '.config/fish/conf.d/pip-guard.fish',
      init: 'status is-interactive; and pip-guard init fish | source',
      read: '',
      // The functions are for interactive fish only (conf.d is read by scripts too).
      interactive: true,
    },
  ];

  it.each(cases)(
    'adds `$init` after the PATH line in $rc, which guards python3 -m pip there; later setups keep it; teardown gives the file back',
    async ({ shell, rc, init, read, ...more }) => {
      const box = sandbox();
      const file = join(box.home, rc);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '# mine\n');
      const env = { SHELL: shell, PATH: SYSTEM_PATH };

      const first = await box.pipGuard(['setup', '--modify-path', '--python-m-pip'], { env });
      expect(first.exitCode).toBe(0);
      expect(first.stdout).toContain(
        `, and the functions that guard \`python3 -m pip\` (pip-guard init), in ~/${rc}, between`,
      );
      expect(first.stdout).toContain(`; ${init}\n`);
      const block = readFileSync(file, 'utf8');
      expect(block).toMatch(
        new RegExp(
          `\n(export PATH|fish_add_path)[^\n]*\n(case|fish_add_path)[^\n]*\n${init.replace(/[$()|]/g, '\\$&')}\n# <<< pip-guard <<<\n$`,
        ),
      );

      const project = box.project;
      const offline = `--no-index --find-links ${box.wheels}`;
      const run = await box.run(
        shell,
        [
          ...('interactive' in more ? ['-i'] : []),
          '-c',
          `${read}cd ${project}; python3 -m pip install ${offline} demo`,
        ],
        {
          env,
        },
      );
      expect(run.exitCode).toBe(0);
      expect(existsSync(join(project, '.venv', 'bin', 'python'))).toBe(true);

      const again = await box.pipGuard(['setup', '--modify-path'], { env });
      expect(again.stdout).toContain('already puts');
      expect(readFileSync(file, 'utf8')).toBe(block);
      const without = await box.pipGuard(['setup', '--modify-path', '--no-python-m-pip'], { env });
      expect(without.exitCode).toBe(0);
      expect(readFileSync(file, 'utf8')).not.toContain('pip-guard init');
      await box.pipGuard(['setup', '--modify-path', '--python-m-pip'], { env });

      const down = await box.pipGuard(['teardown'], { env });
      expect(down.stdout).toContain(`took the PATH lines and the init line out of ${file}`);
      // The install wrote pip-guard's cache and state under HOME; the rc file is as it was.
      expect(readFileSync(file, 'utf8')).toBe('# mine\n');
      expect(existsSync(join(box.home, '.local', 'share', 'pip-guard', 'bin'))).toBe(false);
    },
  );

  it('is refused for a shell with no functions, and without --modify-path prints the line', async () => {
    const box = sandbox();
    const dash = await box.pipGuard(['setup', '--modify-path', '--python-m-pip'], {
      env: { SHELL: '/bin/dash', PATH: SYSTEM_PATH },
    });
    expect(dash.exitCode).toBe(1);
    expect(dash.stderr).toBe(
      'pip-guard: --python-m-pip defines shell functions for bash, zsh or fish, and $SHELL (/bin/dash) is none of them: set SHELL to the shell you use, or leave out --python-m-pip.\n',
    );
    expect(readdirSync(box.home)).toEqual([]);
    const printed = await box.pipGuard(['setup', '--python-m-pip'], {
      env: { SHELL: '/usr/bin/zsh', PATH: SYSTEM_PATH },
    });
    expect(printed.stdout).toContain(
      'pip-guard: to guard `python3 -m pip` too, add this line to ~/.zshrc, after the PATH line:\n  eval "$(pip-guard init zsh)"\n',
    );
  });
});

describe('setup --modify-path --activate', () => {
  const cases = [
    { shell: 'bash', rc: '.bashrc', init: 'eval "$(pip-guard init bash --activate)"' },
    { shell: 'zsh', rc: '.zshrc', init: 'eval "$(pip-guard init zsh --activate)"' },
    {
      shell: 'fish',
      rc: '.config/fish/conf.d/pip-guard.fish',
      init: 'status is-interactive; and pip-guard init fish --activate | source',
    },
  ] as const;

  it.each(cases)(
    '$shell: adds `$init` to $rc, whose prompt hook then activates the venv pip made; kept until --no-activate; teardown gives the file back',
    async ({ shell, rc, init }) => {
      const box = sandbox();
      const file = join(box.home, rc);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '# mine\n');
      const env = { SHELL: `/usr/bin/${shell}`, PATH: SYSTEM_PATH };

      const first = await box.pipGuard(['setup', '--modify-path', '--activate'], { env });
      expect(first.exitCode).toBe(0);
      expect(first.stdout).toContain("keep each project's venv active (pip-guard init --activate), in ~/");
      const block = readFileSync(file, 'utf8');
      expect(block.endsWith(`\n${init}\n# <<< pip-guard <<<\n`)).toBe(true);

      // A new interactive shell, as a person opens one: it reads the block.
      const t = await openTerminal(box, shell, {
        rc: true,
        env: { ...env, ...box.offlineEnv, PATH: SYSTEM_PATH },
      });
      try {
        await t.type(`cd ${box.project}`);
        expect(await t.type('pip install demo')).toContain('it is active in this shell from the next prompt');
        expect(await t.succeeds(`python3 -c 'import demo'`)).toBe(true);
      } finally {
        await t.close();
      }

      const again = await box.pipGuard(['setup', '--modify-path'], { env });
      expect(again.stdout).toContain('already puts');
      expect(readFileSync(file, 'utf8')).toBe(block);
      await box.pipGuard(['setup', '--modify-path', '--no-activate'], { env });
      // --no-activate takes the init line out (the functions came with the hook).
      const plain = readFileSync(file, 'utf8');
      expect(plain).not.toContain('pip-guard init');
      expect(plain).toContain('# <<< pip-guard <<<');
      await box.pipGuard(['setup', '--modify-path', '--activate'], { env });

      const down = await box.pipGuard(['teardown'], { env });
      expect(down.exitCode).toBe(0);
      expect(readFileSync(file, 'utf8')).toBe('# mine\n');
    },
  );

  it("leaves pipx's bin directory out where it is on PATH, and refuses --activate for sh", async () => {
    const box = sandbox();
    const env = { SHELL: '/bin/bash', PATH: `${box.pipxBin}:${SYSTEM_PATH}` };
    await box.pipGuard(['setup', '--modify-path'], { env });
    expect(readFileSync(join(box.home, '.bashrc'), 'utf8')).not.toContain(box.pipxBin);
    const dash = await box.pipGuard(['setup', '--modify-path', '--activate'], {
      env: { SHELL: '/bin/dash', PATH: SYSTEM_PATH },
    });
    expect(dash.exitCode).toBe(1);
    expect(dash.stderr).toContain('--activate defines shell functions for bash, zsh or fish');
  });
});

describe('the directories setup makes', () => {
  it('teardown removes every directory setup made, parents included, and no other', async () => {
    const box = sandbox();
    const top = join(box.dir, 'a');
    await box.pipGuard(['setup', '--dir', join(top, 'b', 'c')], { env: { PATH: SYSTEM_PATH } });
    expect(existsSync(join(top, 'b', 'c', 'pip'))).toBe(true);
    const down = await box.pipGuard(['teardown', '--dir', join(top, 'b', 'c')]);
    expect(down.stdout).toContain(`removed the directories setup made: ${top}/b/c, ${top}/b, ${top}\n`);
    expect(existsSync(top)).toBe(false);
    expect(existsSync(box.dir)).toBe(true);

    // `a` was there before: it stays; `b` holds a file of the user's: it stays too.
    mkdirSync(top);
    await box.pipGuard(['setup', '--dir', join(top, 'b', 'c')], { env: { PATH: SYSTEM_PATH } });
    writeFileSync(join(top, 'b', 'notes.txt'), 'mine');
    await box.pipGuard(['teardown', '--dir', join(top, 'b', 'c')]);
    expect(snapshot(top)).toEqual({ [join(top, 'b')]: 'dir', [join(top, 'b', 'notes.txt')]: '644 mine' });
  });

  it('reads the manifest of an earlier setup that made only its own directory', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'old', 'bin');
    await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    const manifest = JSON.parse(readFileSync(join(dir, '.pip-guard-shims'), 'utf8'));
    delete manifest.createdDirs;
    writeFileSync(join(dir, '.pip-guard-shims'), JSON.stringify({ ...manifest, createdDir: true }));
    await box.pipGuard(['teardown', '--dir', dir]);
    expect(existsSync(dir)).toBe(false);
    expect(existsSync(join(box.dir, 'old'))).toBe(true);
  });
});

describe('pip-guard itself in the shim directory', () => {
  it('is on PATH with the shims as a copy of the binary, runs from any directory, and teardown removes it', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'bin');
    await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    const env = { PATH: `${dir}:${SYSTEM_PATH}` };
    const found = await box.run('sh', ['-c', 'command -v pip-guard && pip-guard --version'], {
      env,
      cwd: '/',
    });
    expect(found.stdout).toBe(`${dir}/pip-guard\n0.1.0\n`);
    // A copy, not a link: deleting the download breaks nothing.
    expect(lstatSync(join(dir, 'pip-guard')).isSymbolicLink()).toBe(false);
    expect(readFileSync(join(dir, 'pip-guard')).equals(readFileSync(CLI))).toBe(true);
    expect(readFileSync(join(dir, 'pip'), 'utf8')).toContain(`exec ${dir}/pip-guard --pip-guard-shim`);
    const explain = await box.run('pip-guard', ['explain', '--', 'install', 'demo'], { env });
    expect(explain.exitCode).toBe(0);
    expect(explain.stdout).toContain(join(box.project, '.venv'));

    await box.pipGuard(['teardown', '--dir', dir]);
    expect(existsSync(dir)).toBe(false);
  });

  it('from the bundle, is a launcher for that Node and bundle', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'bin');
    await box.run(NODE24, [BUNDLE, 'setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    const env = { PATH: `${dir}:${SYSTEM_PATH}` };
    const found = await box.run('sh', ['-c', 'command -v pip-guard && pip-guard --version'], {
      env,
      cwd: '/',
    });
    expect(found.stdout).toBe(`${dir}/pip-guard\n0.1.0\n`);
    expect(readFileSync(join(dir, 'pip-guard'), 'utf8')).toContain(`exec ${NODE24} ${BUNDLE} "$@"`);
    await box.run(NODE24, [BUNDLE, 'teardown', '--dir', dir]);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses to overwrite a pip-guard that is not its own, and teardown leaves one that changed', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'bin');
    mkdirSync(dir);
    for (const make of [
      () => writeFileSync(join(dir, 'pip-guard'), '#!/bin/sh\necho mine\n', { mode: 0o755 }),
      () => symlinkSync(CLI, join(dir, 'pip-guard')),
    ]) {
      make();
      const result = await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `pip-guard: ${dir}/pip-guard exists and is not pip-guard's own copy or launcher: move it away, or choose another directory with --dir.\n`,
      );
      expect(readdirSync(dir)).toEqual(['pip-guard']);
      rmSync(join(dir, 'pip-guard'));
    }

    await box.pipGuard(['setup', '--dir', dir], { env: { PATH: SYSTEM_PATH } });
    writeFileSync(join(dir, 'pip-guard'), '#!/bin/sh\necho my own now\n');
    const down = await box.pipGuard(['teardown', '--dir', dir]);
    expect(down.stdout).toContain(`pip-guard: left ${dir}/pip-guard: it changed since setup wrote it\n`);
    expect(readdirSync(dir)).toEqual(['pip-guard']);
  });
});

describe('setup --system', () => {
  it('is refused, with what to run instead, for anybody but root', async () => {
    const box = sandbox();
    const dir = join(box.dir, 'system-bin');
    for (const command of ['setup', 'teardown']) {
      const result = await asNobody(box, [CLI, command, '--system', '--dir', dir]);
      expect(result.stderr).toBe(
        `pip-guard: ${command} --system works on ${dir} for every user, which only root may change: run \`sudo ${CLI} ${command} --system\`, or leave out --system to ${command === 'setup' ? 'set pip-guard up for yourself alone (in ~/.local/share/pip-guard/bin)' : 'remove your own setup'}.\n`,
      );
      expect(result.exitCode).toBe(1);
    }
    expect(existsSync(dir)).toBe(false);
  });

  it('as root, writes shims and pip-guard that every user can run, whatever the umask', async () => {
    const box = sandbox();
    // Outside the sandbox, whose temporary root only root may enter.
    const open = mkdtempSync(join(tmpdir(), 'pip-guard-system-'));
    try {
      chmodSync(open, 0o755);
      const dir = join(open, 'usr', 'local', 'bin');
      const setup = await box.run(
        'sh',
        ['-c', `umask 077 && exec "$@"`, 'sh', CLI, 'setup', '--system', '--dir', dir],
        {
          env: { PATH: SYSTEM_PATH },
        },
      );
      expect(setup.stderr).toBe('');
      expect(setup.stdout).toBe(
        `pip-guard: wrote pip-guard, pip, pip3, pip${PY}, python3, python${PY} to ${dir}\npip-guard: ${dir} is not ahead of pip on this PATH: every user needs it there, and sudo too\n`,
      );
      const modes = Object.fromEntries(
        [
          join(open, 'usr'),
          join(open, 'usr', 'local'),
          ...['', 'pip', 'pip3', `pip${PY}`, 'pip-guard', '.pip-guard-shims'].map((name) => join(dir, name)),
        ].map((path) => [path, (statSync(path).mode & 0o777).toString(8)]),
      );
      expect(Object.values(modes)).toEqual(['755', '755', '755', '755', '755', '755', '755', '644']);

      const asUser = await asNobody(box, ['sh', '-c', 'pip-guard --version && pip --version'], {
        PATH: `${dir}:${SYSTEM_PATH}`,
        HOME: '/nonexistent',
      });
      expect(asUser.stdout).toMatch(
        new RegExp(`^0\\.1\\.0\\npip ${esc(PIP_VERSION)} from \\/usr\\/lib\\/python3\\/dist-packages\\/pip`),
      );

      const both = await box.pipGuard(['setup', '--system', '--modify-path', '--dir', dir]);
      expect(both.stderr).toBe(
        `pip-guard: --modify-path edits your own shell's rc file, and --system writes ${dir} for every user: leave out one of them.\n`,
      );
      const down = await box.pipGuard(['teardown', '--system', '--dir', dir]);
      expect(down.exitCode).toBe(0);
      expect(readdirSync(open)).toEqual([]);
    } finally {
      rmSync(open, { recursive: true, force: true });
    }
  });

  it('refuses a directory, or a bundle, that other users cannot reach', async () => {
    const box = sandbox();
    const hidden = join(box.dir, 'system-bin');
    const unreachable = await box.pipGuard(['setup', '--system', '--dir', hidden]);
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toBe(
      `pip-guard: setup --system installs for every user, but other users cannot reach ${hidden}: ${dirname(box.dir)} is mode 700. Choose a directory they can reach with --dir, or make ${dirname(box.dir)} searchable by them (chmod o+x).\n`,
    );

    const open = mkdtempSync(join(tmpdir(), 'pip-guard-system-'));
    // A Node every user can reach, wherever the checkout (and the Node the build cached) lives.
    const nodeDir = mkdtempSync(join(tmpdir(), 'pip-guard-node-'));
    try {
      chmodSync(open, 0o755);
      chmodSync(nodeDir, 0o755);
      const node = join(nodeDir, 'node');
      copyFileSync(NODE24, node);
      chmodSync(node, 0o755);
      const bundle = join(box.dir, 'pip-guard.cjs');
      copyFileSync(BUNDLE, bundle);
      const result = await box.run(node, [bundle, 'setup', '--system', '--dir', join(open, 'bin')]);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `pip-guard: setup --system from the bundle would make every user's pip run ${bundle}, but other users cannot reach it: ${dirname(box.dir)} is mode 700. Run setup --system from the single executable (npm run build:binary), which copies itself into ${join(open, 'bin')}, or put Node and pip-guard where every user can read them.\n`,
      );
      expect(readdirSync(open)).toEqual([]);
    } finally {
      rmSync(open, { recursive: true, force: true });
      rmSync(nodeDir, { recursive: true, force: true });
    }
  });
});
