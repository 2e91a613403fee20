import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIP_VERSION, PY } from './env.js';
import { BUNDLE, CLI, NODE24, type Sandbox, sandbox } from './harness.js';
import { makePython, type TestPython } from './pythons.js';
import { openTerminal } from './terminal.js';

const pipGuard = (box: Sandbox, args: string[], env: Record<string, string> = {}) =>
  box.pipGuard(args, { env });

interface Setup {
  python: TestPython;
  // The test's own shims, pip-guard among them (a copy of the binary), and a directory with pipx.
  shims: string;
  tools: string;
  // The PATH of a healthy setup, as a list to take apart.
  dirs: string[];
}

// A healthy machine of the test's own: the shims first on PATH, pip-guard on PATH, pipx and its
// bin dir on PATH, and behind the shims an externally-managed Python copy (not the system's,
// whose site-packages the test does not own) with a healthy project venv.
async function healthy(box: Sandbox): Promise<Setup> {
  const python = makePython(join(box.dir, 'python'), { managed: true });
  const shims = join(box.dir, 'shims');
  const tools = join(box.dir, 'tools');
  mkdirSync(tools);
  symlinkSync('/usr/bin/pipx', join(tools, 'pipx'));
  const dirs = [shims, box.pipxBin, join(python.prefix, 'bin'), tools];
  const wrote = await box.pipGuard(['setup', '--dir', shims], { env: pathOf(dirs.slice(1)) });
  expect(wrote.exitCode).toBe(0);
  await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', join(box.project, '.venv')]);
  return { python, shims, tools, dirs };
}

const pathOf = (dirs: string[]) => ({ PATH: dirs.join(':') });
const without = (dirs: string[], dir: string) => dirs.filter((d) => d !== dir);

// Every path under `dir`, with its size and mtime: what doctor must leave as it was.
function snapshot(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).sort().map((entry) => {
    const stat = statSync(join(dir, entry), { throwIfNoEntry: false });
    return `${entry} ${stat?.size} ${stat?.mtimeMs}`;
  });
}

// What the fix of a package pip installed says first: the repair that does it all.
const repairs = (what: string) =>
  `\`pip-guard repair\` ${what}, offline, and keeps a bundle that restores it (a dry run first; --yes carries it out); or `;
const REPAIR_APP = repairs('moves it to pipx and off the system');
const REPAIR_LIBRARY = repairs("moves it into pip-guard's default venv and off the system");
const REPAIR_PIP = repairs("takes it off the system, so that the distribution's pip is used again");

// The problems in doctor's text report, each with its fix line.
function problems(stdout: string): string[] {
  const found: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line.startsWith('  ✗ ')) found.push(line.slice(2));
    else if (line.startsWith('    fix: ') && found.length > 0) found[found.length - 1] += `\n${line}`;
  }
  return found;
}

describe('pip-guard doctor on a healthy setup', () => {
  it('finds nothing to fix, exits 0, and writes nothing', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const before = snapshot(box.dir);
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.stderr).toBe('');
    expect(problems(result.stdout)).toEqual([]);
    expect(result.exitCode).toBe(0);
    const bin = join(setup.python.prefix, 'bin');
    for (const line of [
      `  · ${bin}/pip runs ${setup.python.python} (Python ${PY}), externally managed (PEP 668)`,
      `  · ${bin}/pip${PY} runs ${setup.python.python} (Python ${PY}), externally managed (PEP 668)`,
      `  ✓ the shims are installed in ${setup.shims}: pip, pip3, pip${PY}, python, python3, python${PY}`,
      `  ✓ ${setup.shims} comes before every real pip on PATH`,
      "  ✓ python3 on PATH is pip-guard's shim: inside a project, scripts run its venv's Python",
      '  ✓ the shims are current: they run this pip-guard (0.1.0)',
      `  ✓ pip-guard itself is on PATH: ${setup.shims}/pip-guard`,
      `  ✓ pipx: ${setup.tools}/pipx`,
      `  ✓ pipx's bin directory ${box.pipxBin} is on PATH`,
      `  ✓ the project's venv ${box.project}/.venv is healthy`,
      `  ✓ nothing that pip installed in ${setup.python.python}'s site directories (${setup.python.prefix}/lib/python3/dist-packages)`,
      'No problems found.',
    ]) {
      expect(result.stdout).toContain(`${line}\n`);
    }
    expect(snapshot(box.dir)).toEqual(before);
    expect(existsSync(join(box.home, '.cache', 'pip-guard'))).toBe(false);
  });
});

describe('pip-guard doctor finds each fault, with its fix', () => {
  it('shims shadowed by an earlier pip on PATH', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const early = join(box.dir, 'early');
    mkdirSync(early);
    copyFileSync(setup.python.pip, join(early, 'pip'));
    const result = await pipGuard(box, ['doctor'], pathOf([early, ...setup.dirs]));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ pip in ${early} comes before the shims on PATH, so \`pip\` runs ${early}/pip unguarded\n` +
        `    fix: put ${setup.shims} first on PATH, after whatever adds ${early} (pyenv init, conda, another PATH line): ` +
        `export PATH="${setup.shims}:$PATH"   # add this line to ~/.profile, then open a new shell`,
    ]);
  });

  it("a venv's own pip first on PATH is no fault", async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const bin = join(box.project, '.venv', 'bin');
    copyFileSync(setup.python.pip, join(bin, 'pip'));
    const result = await pipGuard(box, ['doctor'], pathOf([bin, ...setup.dirs]));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`  · pip in ${bin} comes first on PATH: a venv's own pip`);
    expect(result.stdout).toContain(
      `  · python3 in ${bin} comes first on PATH: a venv's own, which scripts run`,
    );
  });

  it('stale shims: the pip-guard they run was moved away', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const moved = join(box.dir, 'old-place');
    mkdirSync(moved);
    copyFileSync(BUNDLE, join(moved, 'pip-guard.cjs'));
    const shims = join(box.dir, 'stale-shims');
    const wrote = await box.run(NODE24, [join(moved, 'pip-guard.cjs'), 'setup', '--dir', shims], {
      env: pathOf(setup.dirs),
    });
    expect(wrote.exitCode).toBe(0);
    rmSync(moved, { recursive: true });
    const result = await pipGuard(box, ['doctor'], pathOf([shims, ...setup.dirs.slice(1)]));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ the shims are stale: they run \`${NODE24} ${moved}/pip-guard.cjs\`, but ${moved}/pip-guard.cjs ` +
        'no longer exists (pip-guard was moved or deleted), so every guarded pip command fails\n' +
        `    fix: run \`pip-guard setup --dir ${shims}\` again with the pip-guard you use now`,
    ]);
  });

  it('shims of another pip-guard: fine while it is the version that wrote them', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const other = join(box.dir, 'other-pip-guard.cjs');
    copyFileSync(BUNDLE, other);
    const shims = join(box.dir, 'other-shims');
    await box.run(NODE24, [other, 'setup', '--dir', shims], { env: pathOf(setup.dirs) });
    const env = pathOf([shims, ...setup.dirs.slice(1)]);
    const fine = await pipGuard(box, ['doctor'], env);
    expect(fine.exitCode).toBe(0);
    expect(fine.stdout).toContain(
      `  · the shims run another pip-guard 0.1.0 (\`${NODE24} ${other}\`), not this one (${CLI})\n`,
    );
    const manifest = join(shims, '.pip-guard-shims');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('"0.1.0"', '"0.0.1"'));
    const older = await pipGuard(box, ['doctor'], env);
    expect(older.exitCode).toBe(1);
    expect(problems(older.stdout)).toEqual([
      `✗ the shims run \`${NODE24} ${other}\`, now pip-guard 0.1.0, but pip-guard 0.0.1 wrote them\n` +
        `    fix: run \`pip-guard setup --dir ${shims}\` again`,
    ]);
  });

  it('a PIP_GUARD_REAL_PIP that the shims cannot run', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const result = await pipGuard(box, ['doctor'], {
      ...pathOf(setup.dirs),
      PIP_GUARD_REAL_PIP: '/no/such/pip',
    });
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      '✗ PIP_GUARD_REAL_PIP is set, and the shims cannot run it\n' +
        '    fix: PIP_GUARD_REAL_PIP=/no/such/pip is not an executable file: point it at the real pip, or unset it.',
    ]);
  });

  it('pip-guard itself not on PATH', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    // The same shims in a directory without pip-guard beside them.
    const bare = join(box.dir, 'bare-shims');
    mkdirSync(bare);
    for (const name of ['pip', 'pip3', `pip${PY}`, 'python', 'python3', `python${PY}`, '.pip-guard-shims'])
      copyFileSync(join(setup.shims, name), join(bare, name));
    const result = await pipGuard(box, ['doctor'], pathOf([bare, ...without(setup.dirs, setup.shims)]));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      '✗ pip-guard itself is not on PATH, so the commands its messages suggest (`pip-guard trust`, `pip-guard explain`) are not found\n' +
        '    fix: run `pip-guard setup` (it puts pip-guard beside the shims), or link it into a directory on PATH: ' +
        `\`ln -s ${CLI} ${bare}/pip-guard\``,
    ]);
  });

  it('a broken project venv', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const venv = join(box.project, '.venv');
    rmSync(join(venv, 'pyvenv.cfg'));
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ the project's venv ${venv} is broken: it has no pyvenv.cfg\n` +
        `    fix: recreate it: \`${setup.python.python} -m venv --clear ${venv}\`, then install the project's packages into it again`,
    ]);
  });

  it('a broken project venv that is a symlink: the fix removes the link, never --clear', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const venv = join(box.project, '.venv');
    const target = join(box.dir, 'elsewhere');
    mkdirSync(target);
    writeFileSync(join(target, 'keep.txt'), 'the target is somebody else’s');
    rmSync(venv, { recursive: true });
    symlinkSync(target, venv);
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ the project's venv ${venv} is broken: it has no pyvenv.cfg\n` +
        `    fix: it is a symlink to ${target}: repair what it points to, or remove just the link with \`rm ${venv}\` ` +
        `(the next install makes a new venv there); not \`python3 -m venv --clear\`, which would empty ${target}`,
    ]);
  });

  it('an untrusted JavaScript config, until it is trusted', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const file = join(box.project, 'pip-guard.config.js');
    writeFileSync(file, "module.exports = { policy: 'venv' };\n");
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ ${file} is a JavaScript config file that has not been trusted (or was edited since), so every guarded pip command here stops\n` +
        `    fix: read it, then run \`pip-guard trust ${file}\`, or delete it`,
    ]);
    expect((await pipGuard(box, ['trust', file])).exitCode).toBe(0);
    const trusted = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(trusted.exitCode).toBe(0);
    expect(trusted.stdout).toContain(`  ✓ project config: ${file}\n`);
    expect(trusted.stdout).toContain(`  · policy: venv (from ${file} (policy))\n`);
  });

  it('a config error is a finding, not a crash', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{"policy": "sometimes"}\n');
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    const found = problems(result.stdout);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      /^✗ pip-guard cannot read its config here, so every guarded pip command stops\n {4}fix: .*\.pip-guardrc\.json.*policy.*sometimes/,
    );
    expect(result.stdout).toContain('Damage already done\n');
  });

  it('a yes-or-no variable that is neither: the shims or the config stop every guarded command', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const disable = await pipGuard(box, ['doctor'], { ...pathOf(setup.dirs), PIP_GUARD_DISABLE: 'maybe' });
    expect(disable.exitCode).toBe(1);
    expect(problems(disable.stdout)).toEqual([
      '✗ PIP_GUARD_DISABLE=maybe is not a yes or no pip-guard knows, so the shims stop every guarded pip command (exit 2)\n' +
        '    fix: set it to 1 (the shims run the real pip untouched) or 0, or unset it',
    ]);
    const allow = await pipGuard(box, ['doctor'], { ...pathOf(setup.dirs), PIP_GUARD_ALLOW_BREAK: 'maybe' });
    expect(allow.exitCode).toBe(1);
    expect(problems(allow.stdout)).toEqual([
      '✗ pip-guard cannot read its config here, so every guarded pip command stops\n' +
        '    fix: PIP_GUARD_ALLOW_BREAK=maybe is not a yes or no pip-guard knows: use 1 (policy break may install into the system) or 0, or unset it.',
    ]);
  });

  it('a venv.path that leaves the project through a symlink: the error config and pip install give', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const elsewhere = join(box.dir, 'elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, join(box.project, 'out'));
    const file = join(box.project, '.pip-guardrc.json');
    writeFileSync(file, '{"venv": {"path": "out/venv"}}\n');
    const error = `${file}: venv.path is "out/venv", which leads out of the project (${box.project}) through a symlink: use a path inside the project, such as ".venv".`;
    const config = await pipGuard(box, ['config'], pathOf(setup.dirs));
    expect(config).toMatchObject({ exitCode: 2, stderr: `pip-guard: ${error}\n` });
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ pip-guard cannot read its config here, so every guarded pip command stops\n    fix: ${error}`,
    ]);
  });

  it('pipx missing', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const result = await pipGuard(box, ['doctor'], pathOf(without(setup.dirs, setup.tools)));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      '✗ pipx is not on PATH, so command-line apps that pip-guard would give to pipx go to the project venv instead\n' +
        '    fix: install pipx (Debian and Ubuntu: `sudo apt install pipx`)',
    ]);
  });

  it("pipx's bin dir not on PATH", async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const result = await pipGuard(box, ['doctor'], pathOf(without(setup.dirs, box.pipxBin)));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ pipx links apps' commands into ${box.pipxBin}, which is not on PATH, so they are not found after \`pipx install\`\n` +
        `    fix: run \`pip-guard setup --modify-path\` (or \`pipx ensurepath\`) and open a new shell, or add this line to your shell's rc file: export PATH="$PATH:${box.pipxBin}"`,
    ]);
  });

  it('packages pip installed into an externally-managed Python, and not those of the distribution', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const { python } = setup;
    const install = await box.run(python.pip, [
      'install',
      '--break-system-packages',
      ...box.offline,
      'demo==1.0',
      'demo-app==1.0',
    ]);
    expect(install.exitCode).toBe(0);
    // What Debian's own packages look like: no INSTALLER, or `debian`.
    const dist = join(python.prefix, 'lib', 'python3', 'dist-packages');
    for (const [name, installer] of [
      ['debs_own', 'debian'],
      ['no_installer', undefined],
    ]) {
      const info = join(dist, `${name}-2.0.dist-info`);
      mkdirSync(info);
      writeFileSync(join(info, 'METADATA'), `Metadata-Version: 2.1\nName: ${name}\nVersion: 2.0\n`);
      if (installer) writeFileSync(join(info, 'INSTALLER'), `${installer}\n`);
    }
    const before = snapshot(python.prefix);
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    const site = python.sitePackages;
    expect(problems(result.stdout)).toEqual([
      `✗ demo 1.0 in ${site} was installed by pip (\`sudo pip install\` or --break-system-packages), not by the distribution\n` +
        `    fix: ${REPAIR_LIBRARY}give it a home of its own: \`pip install demo\` in the project that needs it (pip-guard puts it in the project's venv); ` +
        `then remove it from the system: \`${python.pip} uninstall --break-system-packages demo\``,
      `✗ demo-app 1.0 in ${site} was installed by pip (\`sudo pip install\` or --break-system-packages), not by the distribution\n` +
        `    fix: ${REPAIR_APP}give it a home of its own: \`pipx install demo-app\` (it is a command-line app); ` +
        `then remove it from the system: \`${python.pip} uninstall --break-system-packages demo-app\``,
    ]);
    expect(snapshot(python.prefix)).toEqual(before);
    // The removal it names works (on the test's own copy).
    const removed = await box.run(python.pip, ['uninstall', '-y', '--break-system-packages', 'demo-app']);
    expect(removed.exitCode).toBe(0);
    expect(existsSync(join(site, 'demo_app-1.0.dist-info'))).toBe(false);
  });
});

describe("pip-guard doctor and the distribution's own pip", () => {
  it('pip installed over it by pip: the fix restores the distribution’s pip, not `pipx install pip`', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const { python } = setup;
    // What `sudo pip install --upgrade --break-system-packages pip` leaves: a pip of pip's own,
    // ahead of the distribution's (the test Python's is Debian's, linked in).
    const install = await box.run(python.pip, [
      'install',
      '--break-system-packages',
      '--no-index',
      `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`,
    ]);
    expect(install.exitCode).toBe(0);
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    const site = python.sitePackages;
    expect(problems(result.stdout)).toEqual([
      `✗ pip ${PIP_VERSION} in ${site} was installed by pip (\`sudo pip install --upgrade pip\` or --break-system-packages), not by the distribution: ` +
        `it replaced the distribution's own pip for ${python.python}\n` +
        `    fix: ${REPAIR_PIP}remove it: \`${python.pip} uninstall --break-system-packages pip\`; then restore the distribution's pip: ` +
        '`sudo apt install --reinstall python3-pip` (the Debian package that owns it)',
    ]);
    expect(result.stdout).not.toContain('pipx install pip');
    const json = JSON.parse((await pipGuard(box, ['doctor', '--json'], pathOf(setup.dirs))).stdout);
    expect(json.damage).toMatchObject([
      { name: 'pip', kind: 'pip', home: 'sudo apt install --reinstall python3-pip' },
    ]);
  });
});

describe('pip-guard doctor, more faults', () => {
  it('shims not on PATH: none installed, then installed in the default directory only', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const env = pathOf(setup.dirs.slice(1));
    const none = await pipGuard(box, ['doctor'], env);
    expect(none.exitCode).toBe(1);
    // pip-guard lives beside the shims: without them on PATH, it is not on PATH either.
    const notOnPath = (into: string) =>
      '✗ pip-guard itself is not on PATH, so the commands its messages suggest (`pip-guard trust`, `pip-guard explain`) are not found\n' +
      '    fix: run `pip-guard setup` (it puts pip-guard beside the shims), or link it into a directory on PATH: ' +
      `\`ln -s ${CLI} ${into}/pip-guard\``;
    expect(problems(none.stdout)).toEqual([
      '✗ no pip-guard shims are installed on PATH, so pip runs unguarded\n' +
        '    fix: run `pip-guard setup`, and add the line it prints to your shell',
      notOnPath(join(box.home, '.local', 'bin')),
    ]);
    expect((await pipGuard(box, ['setup'], env)).exitCode).toBe(0);
    const dir = join(box.home, '.local', 'share', 'pip-guard', 'bin');
    const offPath = await pipGuard(box, ['doctor'], env);
    expect(offPath.exitCode).toBe(1);
    expect(problems(offPath.stdout)).toEqual([
      `✗ the shims are installed in ${dir}, but that directory is not on PATH\n` +
        '    fix: export PATH="$HOME/.local/share/pip-guard/bin:$PATH"   # add this line to ~/.profile, then open a new shell',
      notOnPath(join(box.home, '.local', 'bin')),
    ]);
  });

  it('a project venv committed to git', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    symlinkSync('/usr/bin/git', join(setup.tools, 'git'));
    const git = (...args: string[]) =>
      box.run('/usr/bin/git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: box.project });
    await git('init', '-q');
    await git('add', '.venv');
    await git('commit', '-qm', 'oops');
    const venv = join(box.project, '.venv');
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ the project's venv ${venv} is committed to its git repository, so its pip would run somebody else's code\n` +
        `    fix: take it out of git (\`git rm -r --cached ${venv}\`, and add it to .gitignore), then recreate it: ` +
        `\`${setup.python.python} -m venv --clear ${venv}\``,
    ]);
  });

  it("packages pip put into the user's site directory with --user --break-system-packages", async () => {
    const box = sandbox();
    const setup = await healthy(box);
    const { python } = setup;
    const install = await box.run(python.pip, [
      'install',
      '--user',
      '--break-system-packages',
      ...box.offline,
      'demo',
    ]);
    expect(install.exitCode).toBe(0);
    const userSite = join(box.home, '.local', 'lib', `python${PY}`, 'site-packages');
    const result = await pipGuard(box, ['doctor'], pathOf(setup.dirs));
    expect(result.exitCode).toBe(1);
    expect(problems(result.stdout)).toEqual([
      `✗ demo 1.1 in ${userSite} was installed by pip (\`sudo pip install\` or --break-system-packages), not by the distribution\n` +
        `    fix: ${REPAIR_LIBRARY}give it a home of its own: \`pip install demo\` in the project that needs it (pip-guard puts it in the project's venv); ` +
        `then remove it from the system: \`${python.pip} uninstall --break-system-packages demo\``,
    ]);
  });
});

describe('pip-guard doctor --fix', () => {
  it('points to pip-guard repair, which fixes the damage doctor reports', async () => {
    const box = sandbox();
    const result = await box.pipGuard(['doctor', '--fix']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      'pip-guard: doctor only reports, and changes nothing. To fix the damage it reports (packages that pip put into an externally-managed Python), ' +
        "run `pip-guard repair`: it shows its plan first, and `pip-guard repair --yes` carries it out. Each other problem's fix is on its `fix:` line.\n",
    );
  });
});

describe('pip-guard doctor --json', () => {
  it('gives every section, every pip and every damaged package as data', async () => {
    const box = sandbox();
    const setup = await healthy(box);
    await box.run(setup.python.pip, ['install', '--break-system-packages', ...box.offline, 'demo-app==1.0']);
    const result = await pipGuard(box, ['doctor', '--json'], pathOf(without(setup.dirs, setup.tools)));
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ version: '0.1.0', healthy: false, problems: 2 });
    expect(report.sections.map((s: { id: string }) => s.id)).toEqual([
      'pips',
      'shims',
      'shell',
      'config',
      'pipx',
      'venv',
      'damage',
    ]);
    for (const section of report.sections) {
      expect(Object.keys(section)).toEqual(['id', 'title', 'findings']);
      for (const finding of section.findings) {
        expect(['ok', 'note', 'problem']).toContain(finding.status);
        expect(typeof finding.text).toBe('string');
        if (finding.status === 'problem') expect(typeof finding.fix).toBe('string');
      }
    }
    const bin = join(setup.python.prefix, 'bin');
    expect(report.pips.map((p: { name: string }) => p.name)).toEqual(['pip', 'pip3', `pip${PY}`]);
    expect(report.pips[0]).toEqual({
      name: 'pip',
      path: join(bin, 'pip'),
      at: 2,
      python: setup.python.python,
      interpreter: {
        python: setup.python.python,
        version: `${PY}`,
        prefix: setup.python.prefix,
        stdlib: join(setup.python.prefix, 'lib', `python${PY}`),
        venv: false,
        externallyManaged: true,
        seedWheels: {
          pip: `/usr/share/python-wheels/pip-${PIP_VERSION}-py3-none-any.whl`,
          setuptools: '/usr/share/python-wheels/setuptools-66.1.1-py3-none-any.whl',
        },
        pipPath: [
          ...['python311.zip', `python${PY}`, `python${PY}/lib-dynload`].map((dir) =>
            join(setup.python.prefix, 'lib', dir),
          ),
          join(box.home, '.local', 'lib', `python${PY}`, 'site-packages'),
          setup.python.sitePackages,
          setup.python.distPackages,
        ],
        userSite: join(box.home, '.local', 'lib', `python${PY}`, 'site-packages'),
      },
    });
    expect(report.damage).toEqual([
      {
        name: 'demo-app',
        version: '1.0',
        kind: 'app',
        python: setup.python.python,
        pip: join(bin, 'pip'),
        siteDir: setup.python.sitePackages,
        distInfo: join(setup.python.sitePackages, 'demo_app-1.0.dist-info'),
        home: 'pipx install demo-app',
        remove: `${join(bin, 'pip')} uninstall --break-system-packages demo-app`,
      },
    ]);
    expect(readFileSync(join(box.shims, 'pip'), 'utf8')).toContain('# pip-guard shim');
  });
});

describe('pip-guard doctor on the shell that ran it', () => {
  // The report's "This shell" section.
  const shellSection = (stdout: string) => {
    const lines = stdout.split('\n');
    const from = lines.indexOf('This shell');
    return lines.slice(from + 1, lines.indexOf('', from));
  };

  it('says which of init’s functions and hook the shell has, and what the rc file promised but it lacks', async () => {
    const box = sandbox();
    const env = { SHELL: '/bin/bash' };
    const bare = await pipGuard(box, ['doctor'], env);
    expect(shellSection(bare.stdout)).toEqual([
      "  · this shell has no pip-guard init functions: `python3 -m pip` is not guarded, and a project's venv becomes active only by hand (`pip-guard setup --modify-path --activate` adds both)",
    ]);
    // From a shell that evaluated init (the doctor it starts is its child, not an exec).
    const inShell = (init: string) =>
      box.run('/bin/bash', ['--norc', '-c', `eval "$(pip-guard ${init})"; pip-guard doctor; true`], { env });
    // The hook marks the shell at the prompts it runs at: an interactive shell's.
    const t = await openTerminal(box, 'bash', { env });
    try {
      const report = (await t.type('pip-guard doctor')).split('\r\n').join('\n');
      expect(shellSection(report)).toEqual([
        "  ✓ this shell has pip-guard init's functions: `python3 -m pip` goes through pip-guard",
        "  ✓ and its prompt hook: inside a project, the project's venv is active",
      ]);
    } finally {
      await t.close();
    }
    // A shell with the hook that never showed a prompt (a script, a PROMPT_COMMAND set over it)
    // claims no hook.
    expect(shellSection((await inShell('init bash --activate')).stdout)[1]).toMatch(
      /^ {2}· no prompt hook: /,
    );
    expect(shellSection((await inShell('init bash')).stdout)[1]).toMatch(/^ {2}· no prompt hook: /);

    const dir = join(box.home, '.local', 'share', 'pip-guard', 'bin');
    await pipGuard(box, ['setup', '--modify-path', '--activate'], env);
    const promised = await pipGuard(box, ['doctor'], { ...env, PATH: `${dir}:${box.env.PATH}` });
    expect(shellSection(promised.stdout)).toEqual([
      `  ✗ ${box.home}/.bashrc defines pip-guard init's functions and prompt hook, and this shell has not run them: \`python3 -m pip\` is not guarded here`,
      '    fix: open a new shell, or run `eval "$(pip-guard init bash --activate)"` in this one',
    ]);
    // A marker inherited from another shell proves nothing about this one.
    const inherited = await pipGuard(box, ['doctor'], { ...env, _PIP_GUARD_INIT: '1 functions hook' });
    expect(shellSection(inherited.stdout)[0]).toMatch(
      /^ {2}· pip-guard init ran in the process 1, which did not start doctor/,
    );
  });
});
