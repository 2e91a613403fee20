// An active venv (VIRTUAL_ENV, as `activate` sets it) is where a refused install goes, before the
// project's own; a VIRTUAL_ENV whose venv is gone is only a stale hint, and is ignored.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, sandbox } from './harness.js';

const importsDemo = async (box: ReturnType<typeof sandbox>, venv: string) =>
  (await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode === 0;

describe('VIRTUAL_ENV', () => {
  it('sends the install to the active venv, not the project’s', async () => {
    const box = sandbox();
    const active = join(box.dir, 'active');
    const project = join(box.project, '.venv');
    for (const venv of [active, project]) {
      expect((await box.run('/usr/bin/python3', ['-m', 'venv', venv])).exitCode).toBe(0);
    }
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { VIRTUAL_ENV: active } });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)).toEqual([
      // Active already: no activation advice.
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into the active venv ${active} (Python ${PY})`,
    ]);
    expect(await importsDemo(box, active)).toBe(true);
    expect(await importsDemo(box, project)).toBe(false);
  });

  it('ignores a VIRTUAL_ENV that no longer exists', async () => {
    const box = sandbox();
    const gone = join(box.dir, 'deleted-venv');
    expect((await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', gone])).exitCode).toBe(0);
    rmSync(gone, { recursive: true });
    const install = await box.pip(['install', ...box.offline, 'demo'], { env: { VIRTUAL_ENV: gone } });
    expect(install.exitCode).toBe(0);
    const venv = join(box.project, '.venv');
    expect(notices(install.stderr)).toEqual([
      `pip-guard: /usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${venv} (Python ${PY}); ` +
        `\`python3\` here uses it`,
    ]);
    expect(await importsDemo(box, venv)).toBe(true);
    expect(existsSync(gone)).toBe(false);
  });
});
