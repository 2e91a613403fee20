// Issue 22: `pip-guard repair` moves what pip put into an externally-managed Python into proper
// homes, offline, losing nothing: the Must-show list, on the Pythons of damaged.ts.
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Damaged,
  damaged,
  damageLeft,
  fingerprint,
  inSite,
  inVenv,
  NOBODY,
  pipxApps,
  repair,
} from './damaged.js';
import { PY } from './env.js';
import { CLI, openDir, sandbox, waitUntil } from './harness.js';
import { start, stop } from './stall.js';

describe('pip-guard repair, a dry run', () => {
  it('prints the plan for every damaged package, and changes nothing', async () => {
    const d = await damaged(sandbox());
    const before = fingerprint(d.local);
    const result = await repair(d, []);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const site = d.site;
    expect(result.stdout).toBe(
      [
        `What pip put into ${d.python.python} (Python ${PY}):`,
        `  edited 1.0, a library, in ${site}`,
        '    stays: edited/__init__.py does not match its RECORD (it was changed after pip installed it)',
        `  mylib 1.0, a library, in ${site}`,
        '    goes with mytool, which needs it',
        "    removed: mylib-1.0.dist-info/ (4 files), mylib/ (2 files) (the files its RECORD lists, none of them the distribution's)",
        `  mytool 1.0, an app (mytool), in ${site}`,
        '    goes to pipx, from a wheel rebuilt from its files, with mylib 1.0',
        `    removed: ${d.local}/bin/mytool, mytool-1.0.dist-info/ (6 files), mytool/ (2 files) (the files its RECORD lists, none of them the distribution's)`,
        `  owned 1.0, a library, in ${site}`,
        `    stays: its RECORD lists ${site}/owned/__init__.py, which the distribution's package python3-owned owns`,
        `  solo 1.0, a library, in ${site}`,
        `    goes to the venv ${d.defaultVenv}, from a wheel rebuilt from its files`,
        "    removed: solo-1.0.dist-info/ (5 files), solo/ (2 files) (the files its RECORD lists, none of them the distribution's)",
        '',
        'pip-guard repair: a dry run, nothing was changed. `pip-guard repair --yes` does this, after rebuilding each ' +
          `package that moves as a wheel into a restore bundle under ${join(d.box.home, '.local', 'share', 'pip-guard', 'repair')}.`,
        '',
      ].join('\n'),
    );
    expect(fingerprint(d.local)).toEqual(before);
    expect(existsSync(join(d.box.home, '.local', 'share', 'pip-guard'))).toBe(false);
    expect(pipxApps(d)).toEqual([]);
    const json = JSON.parse((await repair(d, ['--json'])).stdout);
    expect(json.packages.map((p: { name: string; action: string }) => `${p.name} ${p.action}`)).toEqual([
      'edited stay',
      'mylib along',
      'mytool pipx',
      'owned stay',
      'solo venv',
    ]);
    expect(fingerprint(d.local)).toEqual(before);
  });
});

describe('pip-guard repair --yes', () => {
  it('moves the app to pipx with what it needs, the library to the default venv, and leaves the rest, saying why', async () => {
    const d = await damaged(sandbox());
    const first = fingerprint(d.local);
    const result = await repair(d, ['--yes']);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    const bundle = /^pip-guard repair: restore bundle (\S+) /.exec(lines[0] ?? '')?.[1] as string;
    expect(bundle).toMatch(
      new RegExp(`^${join(d.box.home, '.local', 'share', 'pip-guard', 'repair')}/\\d{8}-\\d{6}$`),
    );
    expect(lines).toContain('mytool 1.0 is in pipx now, with mylib 1.0');
    expect(lines).toContain(`removed from ${d.site}: mylib 1.0, mytool 1.0`);
    expect(lines).toContain(`solo 1.0 is in ${d.defaultVenv} now`);
    expect(lines.at(-2)).toBe(
      'pip-guard repair moved mylib 1.0, mytool 1.0, solo 1.0 to their homes and off the system; ' +
        `edited 1.0, owned 1.0 stay in place, as said above; \`pip-guard repair --restore ${bundle}\` undoes it`,
    );
    // The app runs by name from pipx, at the same version, with the library it needs beside it.
    const tool = await d.box.run('mytool', [], { env: d.env });
    expect(tool.stdout).toBe('mytool 1.0 1.0\n');
    expect(
      readdirSync(join(d.box.pipxHome, 'venvs', 'mytool', 'lib', `python${PY}`, 'site-packages')),
    ).toEqual(expect.arrayContaining(['mylib', 'mylib-1.0.dist-info', 'mytool', 'mytool-1.0.dist-info']));
    // The library imports from the default venv, the one `pip-guard run` reaches outside projects.
    const solo = await d.box.pipGuard(['run', 'python3', '-c', 'import solo; print(solo.__file__)'], {
      env: d.env,
      cwd: d.box.home,
    });
    expect(solo.stdout).toBe(
      join(d.defaultVenv, 'lib', `python${PY}`, 'site-packages', 'solo', '__init__.py\n'),
    );
    // Off the system, all three; the two that stay are there as they were.
    for (const name of ['mytool', 'mylib', 'solo']) expect(inSite(d, name)).toBe(false);
    expect(existsSync(join(d.local, 'bin', 'mytool'))).toBe(false);
    const kept = (entries: string[]) => entries.filter((e) => /^(owned|edited)/.test(e));
    expect(kept(fingerprint(d.local))).toEqual(kept(first));
    // doctor's damage section, shown at the end, lists only those two, each with its reason.
    expect(result.stdout).toContain(
      `  ✗ owned 1.0 in ${d.site} was installed by pip (\`sudo pip install\` or --break-system-packages), not by the distribution; ` +
        `\`pip-guard repair\` leaves it in place: its RECORD lists ${d.site}/owned/__init__.py, which the distribution's package python3-owned owns\n`,
    );
    expect(result.stdout).toContain(
      '`pip-guard repair` leaves it in place: edited/__init__.py does not match its RECORD (it was changed after pip installed it)\n',
    );
    expect(await damageLeft(d)).toEqual(['edited', 'owned']);
  });

  it('--restore puts the site directory back byte for byte (but __pycache__), and takes back the homes', async () => {
    const d = await damaged(sandbox());
    const first = fingerprint(d.local);
    // What a repair stopped while it wrote its bundle leaves (nothing had moved): it goes; what is
    // not a bundle's stays.
    const bundles = join(d.box.home, '.local', 'share', 'pip-guard', 'repair');
    mkdirSync(join(bundles, '20200101-000000', 'wheels'), { recursive: true });
    mkdirSync(join(bundles, '20200101-000001'));
    writeFileSync(join(bundles, '20200101-000001', 'mine.txt'), 'not pip-guard’s');
    const done = await repair(d, ['--yes', '--json']);
    expect(readdirSync(bundles).filter((name) => name.startsWith('2020'))).toEqual(['20200101-000001']);
    expect(done.exitCode).toBe(0);
    const report = JSON.parse(done.stdout);
    expect(report.outcome.notMoved).toEqual([]);
    expect(report.damageAfter.map((x: { name: string }) => x.name)).toEqual(['edited', 'owned']);
    const restored = await repair(d, ['--restore', report.bundle]);
    expect(restored.stderr).toBe('');
    expect(restored.exitCode).toBe(0);
    expect(restored.stdout).toBe(
      [
        'put back where pip had installed them: mytool 1.0, mylib 1.0, solo 1.0',
        `taken back out of the homes the repair gave them: solo 1.0 (${d.defaultVenv}), mytool 1.0 (pipx)`,
        `pip-guard repair --restore put back 3 packages from ${report.bundle}`,
        '',
      ].join('\n'),
    );
    expect(fingerprint(d.local)).toEqual(first);
    expect(pipxApps(d)).toEqual([]);
    expect(inVenv(d, 'solo')).toBe(false);
    expect((await d.box.run(join(d.local, 'bin', 'mytool'), [])).stdout).toBe('mytool 1.0 1.0\n');
    // Once more: everything is in place, nothing is written.
    const again = await repair(d, ['--restore', report.bundle]);
    expect(again.stdout).toContain('in place already: mytool 1.0, mylib 1.0, solo 1.0\n');
    expect(fingerprint(d.local)).toEqual(first);
  });
});

// A pip (the damaged Python's bin/pip, which the removals run) that, after its first uninstall,
// writes its pid to `marker` and waits until `marker.go` is there (at most two minutes): pip-guard
// is then between removing one package and installing the next one's home. It logs its uid.
function pipThatStopsAfterUninstall(d: Damaged, marker: string): void {
  const script = [
    `#!${d.python.python}`,
    'import os, subprocess, sys, time',
    `marker = ${JSON.stringify(marker)}`,
    'code = subprocess.call([sys.executable, "-m", "pip"] + sys.argv[1:])',
    'open(marker + ".uids", "a").write("%d\\n" % os.getuid())',
    'if sys.argv[1:2] == ["uninstall"] and not os.path.exists(marker):',
    '    open(marker + ".tmp", "w").write(str(os.getpid()))',
    '    os.replace(marker + ".tmp", marker)',
    '    for _ in range(1200):',
    '        if os.path.exists(marker + ".go"): break',
    '        time.sleep(0.1)',
    'sys.exit(code)',
  ];
  writeFileSync(d.python.pip, `${script.join('\n')}\n`, { mode: 0o755 });
}

// Starts `repair --yes`, and kills it (kill -9) once the first removal is done, and its pip too.
async function killedAfterFirstRemoval(d: Damaged): Promise<void> {
  const marker = join(d.box.dir, 'removed-once');
  pipThatStopsAfterUninstall(d, marker);
  const run = start(d.box, CLI, ['repair', '--yes'], d.env);
  await waitUntil(() => existsSync(marker), 'the first removal', 90_000, 50);
  process.kill(run.pid, 'SIGKILL');
  const ended = await run.done;
  expect(ended.signal).toBe('SIGKILL');
  stop(Number(readFileSync(marker, 'utf8')));
  // Either in place or in its home: the app and its library are in pipx; solo is where it was.
  expect(inSite(d, 'mytool')).toBe(false);
  expect(inSite(d, 'mylib')).toBe(false);
  expect(pipxApps(d)).toEqual(['mytool']);
  expect(inSite(d, 'solo')).toBe(true);
  expect(inVenv(d, 'solo')).toBe(false);
}

describe('pip-guard repair killed with -9 between removing and installing', () => {
  it('leaves each package in place or in its home, and the next run finishes', async () => {
    const d = await damaged(sandbox());
    await killedAfterFirstRemoval(d);
    const dry = await repair(d, []);
    expect(dry.exitCode).toBe(0);
    expect(dry.stdout).toMatch(/^A repair was stopped before it finished; its bundle is \S+:\n/);
    expect(dry.stdout).toContain('  mytool 1.0: in its home (pipx), and off the system\n');
    expect(dry.stdout).toContain(`  solo 1.0: still in place; goes to ${d.defaultVenv}\n`);
    const next = await repair(d, ['--yes']);
    expect(next.stderr).toBe('');
    expect(next.exitCode).toBe(0);
    expect(next.stdout).toContain(`solo 1.0 is in ${d.defaultVenv} now\n`);
    expect(inSite(d, 'solo')).toBe(false);
    expect(inVenv(d, 'solo')).toBe(true);
    expect((await d.box.run('mytool', [], { env: d.env })).stdout).toBe('mytool 1.0 1.0\n');
    expect(await damageLeft(d)).toEqual(['edited', 'owned']);
    // Finished: the next run plans afresh, and has nothing to move.
    expect((await repair(d, [])).stdout).toContain('pip-guard repair: nothing to move');
  });

  it('or --restore undoes it, back to the first fingerprint', async () => {
    const d = await damaged(sandbox());
    const first = fingerprint(d.local);
    await killedAfterFirstRemoval(d);
    const bundle = readdirSync(join(d.box.home, '.local', 'share', 'pip-guard', 'repair'))[0] as string;
    const restored = await repair(d, ['--restore', bundle]);
    expect(restored.exitCode).toBe(0);
    expect(restored.stdout).toContain('put back where pip had installed them: mytool 1.0, mylib 1.0\n');
    expect(restored.stdout).toContain('in place already: solo 1.0\n');
    expect(fingerprint(d.local)).toEqual(first);
    expect(pipxApps(d)).toEqual([]);
    // Undone, it is no stopped repair to pick up.
    expect((await repair(d, [])).stdout).toMatch(/^What pip put into /);
  });
});

describe('pip-guard repair stopped by a signal', () => {
  it('finishes the step it is in, stops before the next, and the next run finishes', async () => {
    const d = await damaged(sandbox());
    const marker = join(d.box.dir, 'removed-once');
    pipThatStopsAfterUninstall(d, marker);
    const run = start(d.box, CLI, ['repair', '--yes'], d.env);
    await waitUntil(() => existsSync(marker), 'the first removal', 90_000, 50);
    process.kill(run.pid, 'SIGINT');
    writeFileSync(`${marker}.go`, '');
    const ended = await run.done;
    expect(ended.exitCode).toBe(130);
    expect(ended.stdout.trimEnd().split('\n').at(-1)).toMatch(
      /^pip-guard repair was interrupted \(SIGINT\): it moved mylib 1\.0, mytool 1\.0 to their homes and off the system, and solo 1\.0 is still in place; edited 1\.0, owned 1\.0 stay in place, as said above; `pip-guard repair --yes` picks up from the bundle /,
    );
    expect(pipxApps(d)).toEqual(['mytool']);
    expect(inSite(d, 'mytool')).toBe(false);
    expect(inSite(d, 'solo')).toBe(true);
    expect(inVenv(d, 'solo')).toBe(false);
    const next = await repair(d, ['--yes']);
    expect(next.exitCode).toBe(0);
    expect(inVenv(d, 'solo')).toBe(true);
    expect(await damageLeft(d)).toEqual(['edited', 'owned']);
  });
});

describe('pip-guard repair of a site directory another user owns', () => {
  it('runs the removal and the restore as that user (setpriv, as root)', async () => {
    const box = sandbox();
    const d = await damaged(box, openDir());
    await box.run('chown', ['-R', `${NOBODY}:${NOBODY}`, d.local]);
    const marker = join(openDir(), 'pip');
    // Never stops: the marker is there already.
    writeFileSync(marker, '0');
    chmodSync(join(marker, '..'), 0o777);
    pipThatStopsAfterUninstall(d, marker);
    const first = fingerprint(d.local);
    const result = await repair(d, ['--yes']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(
      `    removed as nobody, who owns that directory: solo-1.0.dist-info/ (5 files)`,
    );
    expect(readFileSync(`${marker}.uids`, 'utf8')).toBe(`${NOBODY}\n${NOBODY}\n`);
    const bundle = /restore bundle (\S+)/.exec(result.stdout)?.[1] as string;
    expect(lstatSync(bundle).uid).toBe(0);
    const restored = await repair(d, ['--restore', bundle]);
    expect(restored.exitCode).toBe(0);
    // Written by nobody: every restored file is theirs, as before.
    expect(fingerprint(d.local)).toEqual(first);
  });
});
