// `sudo pip install` in somebody's project: root does not make or run a venv another user owns.
// These tests run as root, as CI does (sudo's case is root's).
import { chownSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, sandbox } from './harness.js';

const NOBODY = 65534;

// The project and everything in it, handed to nobody.
function chownTree(path: string): void {
  chownSync(path, NOBODY, NOBODY);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) chownTree(child);
    else if (!entry.isSymbolicLink()) chownSync(child, NOBODY, NOBODY);
  }
}

describe('pip as root in a directory another user owns', () => {
  it('refuses a redirected install with the command to run without sudo, and makes nothing', async () => {
    expect(process.getuid?.(), 'these tests run as root, as CI does').toBe(0);
    const box = sandbox();
    chownTree(box.project);
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(1);
    expect(notices(install.stderr)).toEqual([
      `pip-guard: pip runs as root here, and this install would go into ${join(box.project, '.venv')}, which nobody owns: ` +
        'pip-guard will not make or change a venv there as root (its files would then belong to root). A venv needs no root: ' +
        `run \`pip install --no-index --find-links ${box.wheels} demo\` without sudo, as nobody. Nothing was installed.`,
    ]);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
  });

  it("does not run the pip of that user's venv for a list either: the system's pip answers", async () => {
    const box = sandbox();
    await box.run('/usr/bin/python3', ['-m', 'venv', '--without-pip', join(box.project, '.venv')]);
    chownTree(box.project);
    const list = await box.pip(['list']);
    expect(list.exitCode).toBe(0);
    expect(notices(list.stderr)).toEqual([]);
    expect(list.stdout).toContain('pip ');
  });

  it("works as for anyone in root's own directories (containers, CI images)", async () => {
    const box = sandbox();
    const install = await box.pip(['install', ...box.offline, 'demo']);
    expect(install.exitCode).toBe(0);
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')}`,
    );
  });
});
