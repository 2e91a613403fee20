// The npm route: the bundle (dist/pip-guard.cjs) run by a Node of the user's, and the package
// `npm pack` makes of it. Both run with the Node 24 the build cached, so the machine's own Node
// (Debian 12's is 18, too old for the bundle) never decides whether they can run.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readJson } from '../../src/base/files.js';
import { PY } from './env.js';
import { BUNDLE, NODE24, notices, ROOT, runIn, SYSTEM_PATH, sandbox } from './harness.js';

const { version } = readJson<{ version: string }>(join(ROOT, 'package.json')) ?? { version: '?' };

describe('the bundle, as the npm package runs it', () => {
  it('writes shims that run the bundle with the Node that ran setup, and they send a refused install to .venv', async () => {
    const box = sandbox();
    const shims = join(box.dir, 'bundle-shims');
    const setup = await box.run(NODE24, [BUNDLE, 'setup', '--dir', shims], { env: { PATH: SYSTEM_PATH } });
    expect(setup.exitCode).toBe(0);
    expect(readFileSync(join(shims, 'pip'), 'utf8')).toContain(`exec ${NODE24} ${BUNDLE} --pip-guard-shim`);

    const install = await box.pip(['install', ...box.offline, 'demo'], {
      env: { PATH: `${shims}:${SYSTEM_PATH}` },
    });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')} (Python ${PY});`,
    );
  });

  it("starts the bundle's Node without NODE_EXTRA_CA_CERTS, and hands it back to pip as it was", async () => {
    const box = sandbox();
    const shims = join(box.dir, 'bundle-shims');
    await box.run(NODE24, [BUNDLE, 'setup', '--dir', shims], { env: { PATH: SYSTEM_PATH } });
    const fake = join(box.dir, 'fake-pip');
    writeFileSync(
      fake,
      // And whether the Node that started it (pip-guard, its parent) was started with it.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: sh, not a template
      '#!/bin/sh\necho "pip got ${NODE_EXTRA_CA_CERTS-(unset)} ${_PIP_GUARD_NODE_EXTRA_CA_CERTS-(no marker)}"\n' +
        'if tr "\\0" "\\n" < /proc/$PPID/environ | grep -q "^NODE_EXTRA_CA_CERTS="; then echo node had it; else echo node had none; fi\n',
      { mode: 0o755 },
    );
    const shim = readFileSync(join(shims, 'pip'), 'utf8');
    expect(shim).toContain('unset NODE_EXTRA_CA_CERTS');
    const env = { PATH: `${shims}:${SYSTEM_PATH}`, PIP_GUARD_REAL_PIP: fake };
    for (const value of ['/etc/ssl/certs/ca-certificates.crt', '']) {
      const list = await box.pip(['list'], { env: { ...env, NODE_EXTRA_CA_CERTS: value } });
      expect(list.stdout).toBe(`pip got ${value} (no marker)\nnode had none\n`);
    }
    const unset = await box.pip(['list'], { env: { ...env, NODE_EXTRA_CA_CERTS: undefined } });
    expect(unset.stdout).toBe('pip got (unset) (no marker)\nnode had none\n');
  });

  it('npm pack ships only the bundle, its licenses, README and package.json; npm install -g of it gives a working pip-guard', async () => {
    const box = sandbox();
    // npm from the machine, run by Node 24; its own cache and no config of the user's.
    const env = {
      HOME: box.home,
      PATH: `${dirname(NODE24)}:${process.env.PATH}`,
      npm_config_cache: join(box.dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    };
    const pack = await runIn(
      env,
      'npm',
      ['pack', '--ignore-scripts', '--json', '--pack-destination', box.dir],
      {
        cwd: ROOT,
      },
    );
    expect(pack.exitCode).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
    expect(packed?.files.map((file) => file.path).sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist/THIRD-PARTY-LICENSES.txt',
      'dist/pip-guard.cjs',
      'package.json',
    ]);

    // Offline: the bundle has no dependencies, so there is nothing to fetch.
    const prefix = join(box.dir, 'global');
    const tarball = join(box.dir, packed?.filename ?? '?');
    const install = await runIn(env, 'npm', ['install', '-g', '--offline', '--prefix', prefix, tarball]);
    expect(install.exitCode).toBe(0);
    const installed = join(prefix, 'lib', 'node_modules', 'pip-guard');
    expect(existsSync(join(installed, 'dist', 'pip-guard.cjs'))).toBe(true);
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);

    const answer = await runIn(env, join(prefix, 'bin', 'pip-guard'), ['--version']);
    expect(answer).toMatchObject({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });
});
