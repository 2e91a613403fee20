// `pip-guard config`: the effective config here, one line per key, with where each value came from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from './harness.js';

const inSrc = (box: Sandbox) => ({ cwd: join(box.project, 'src') });

// The pipx.apps line: the built-in list (too long to spell out here) and its sources.
const APPS = /^ {2}pipx\.apps {18}(ansible, .*, yt-dlp) {3}\[(.+)\]$/;

describe('pip-guard config', () => {
  it('shows the defaults and where they come from when there is no config', async () => {
    const box = sandbox();
    const result = await box.pipGuard(['config'], inSrc(box));
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines.filter((line) => !APPS.test(line))).toEqual([
      `pip-guard config (project root: ${box.project}; files: none)`,
      '  policy                     auto   [the default]',
      '  venv.path                  .venv (or an existing venv/)   [the default]',
      '  venv.route                 true   [the default]',
      '  nonInteractive             auto   [the default]',
      '  notice                     true   [the default]',
      '  allowBreakSystemPackages   false   [the default]',
      '',
    ]);
    expect(APPS.exec(lines[4] as string)?.[2]).toBe('the built-in list');
  });

  it('names the file and key of each value set, from the system’s, the user’s and the project’s', async () => {
    const box = sandbox();
    const system = join(box.dir, 'etc-pip-guard');
    const user = join(box.home, '.config', 'pip-guard');
    for (const dir of [system, user]) mkdirSync(dir, { recursive: true });
    writeFileSync(join(system, 'config.toml'), 'nonInteractive = "block"\npolicy = "pipx"\n');
    writeFileSync(join(user, 'config.json'), '{ "allowBreakSystemPackages": true, "notice": false }');
    const project = join(box.project, '.pip-guardrc.yaml');
    writeFileSync(
      project,
      'policy: venv\nvenv:\n  path: env\n  route: false\npackages:\n  Black: pipx\n  requests: block\npipx:\n  apps: [my-tool]\n',
    );
    const env = { PIP_GUARD_SYSTEM_CONFIG_DIR: system };
    const result = await box.pipGuard(['config'], { ...inSrc(box), env });
    expect(result.exitCode).toBe(0);
    const lines = result.stdout.split('\n');
    const files = [join(system, 'config.toml'), join(user, 'config.json'), project];
    expect(lines.filter((line) => !APPS.test(line))).toEqual([
      `pip-guard config (project root: ${box.project}; files: ${files.join(', ')})`,
      `  policy                     venv   [${project} (policy)]`,
      `  venv.path                  env   [${project} (venv.path)]`,
      `  venv.route                 false   [${project} (venv.route)]`,
      `  packages.black             pipx   [${project} (packages.Black)]`,
      `  packages.requests          block   [${project} (packages.requests)]`,
      `  nonInteractive             block   [${files[0]} (nonInteractive)]`,
      `  notice                     false   [${files[1]} (notice)]`,
      `  allowBreakSystemPackages   true   [${files[1]} (allowBreakSystemPackages)]`,
      '',
    ]);
    const apps = APPS.exec(lines[4] as string);
    expect(apps?.[1]?.split(', ')).toContain('my-tool');
    expect(apps?.[2]).toBe(`the built-in list, ${project} (pipx.apps)`);
  });
});
