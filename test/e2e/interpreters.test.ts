import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { notices, sandbox } from './harness.js';
import { makePython } from './pythons.js';

describe('a pip whose Python is not externally managed', () => {
  it('is never redirected: --user installs go to the user site as pip does them', async () => {
    const box = sandbox();
    const python = makePython(join(box.dir, 'python'), { managed: false });
    const env = { PIP_GUARD_REAL_PIP: python.pip };
    const install = await box.pip(['install', '--user', ...box.offline, 'demo'], { env });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)).toEqual([]);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    expect(existsSync(join(box.home, '.local', 'lib', `python${PY}`, 'site-packages', 'demo'))).toBe(true);
    const dryRun = await box.pip(['install', '--dry-run', ...box.offline, 'demo==1.0'], { env });
    expect(dryRun.stdout).toContain('Would install demo-1.0');
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });
});

describe('a pip whose Python pip-guard cannot read off its first line', () => {
  it('runs the real pip, hides its refusal, and then installs into the project venv', async () => {
    const box = sandbox();
    const wrapper = join(box.dir, 'wrapped-pip');
    writeFileSync(wrapper, '#!/bin/sh\n# a wrapper such as a pyenv shim\nexec /usr/bin/pip "$@"\n', {
      mode: 0o755,
    });
    const install = await box.pip(['install', ...box.offline, 'demo'], {
      env: { PIP_GUARD_REAL_PIP: wrapper },
    });
    expect(install.exitCode).toBe(0);
    expect(install.stderr).not.toContain('externally-managed');
    expect(install.stderr).not.toContain('This environment is externally managed');
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)).toEqual([
      expect.stringContaining(
        `/usr/bin/python3 is externally managed (PEP 668), so pip installed into a new venv, ${join(box.project, '.venv')}`,
      ),
    ]);
  });

  it('passes everything else through, warnings included', async () => {
    const box = sandbox();
    const wrapper = join(box.dir, 'wrapped-pip');
    writeFileSync(wrapper, '#!/bin/sh\necho "WARNING: from the wrapper" >&2\nexec /usr/bin/pip "$@"\n', {
      mode: 0o755,
    });
    const result = await box.pip(['install', '--target', join(box.dir, 't'), ...box.offline, 'demo'], {
      env: { PIP_GUARD_REAL_PIP: wrapper },
    });
    expect(result.exitCode).toBe(0);
    expect(result.stderr.startsWith('WARNING: from the wrapper\n')).toBe(true);
    expect(existsSync(join(box.dir, 't', 'demo'))).toBe(true);
  });
});

describe('pip --python', () => {
  it('asks the named interpreter: a venv given to --python is not redirected', async () => {
    const box = sandbox();
    const venv = join(box.dir, 'elsewhere');
    await box.run('/usr/bin/python3', ['-m', 'venv', venv]);
    const install = await box.pip(['--python', venv, 'install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)).toEqual([]);
    expect((await box.run(join(venv, 'bin', 'python'), ['-c', 'import demo'])).exitCode).toBe(0);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });
});

describe('a command line pip-guard cannot read, but pip can', () => {
  it('goes to the venv as a whole once pip refuses it', async () => {
    const box = sandbox();
    // --only is --only-binary to pip 23.0.1, and ambiguous among the options of newer pips.
    const install = await box.pip(['install', ...box.offline, '--only', ':all:', 'demo']);
    expect(install.exitCode).toBe(0);
    expect(install.stderr).not.toContain('externally-managed-environment');
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')}`,
    );
  });
});
