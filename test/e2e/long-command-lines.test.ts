// Issue 9, item 6: a command line longer than one environment string may be (128 KiB on Linux)
// goes through the shim as it goes to the real pip; the loop guard costs nothing that grows with it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';

// 3000 files with long names: well over 128 KiB of arguments.
function manyFiles(box: Sandbox): string[] {
  const dir = join(box.dir, 'files');
  mkdirSync(dir);
  const files = Array.from({ length: 3000 }, (_, i) =>
    join(dir, `${String(i).padStart(4, '0')}-${'a-rather-long-file-name-'.repeat(3)}.txt`),
  );
  for (const file of files) writeFileSync(file, file);
  expect(files.join(' ').length).toBeGreaterThan(128 * 1024);
  return files;
}

describe('a command line of 3000 long file names (over 128 KiB)', () => {
  it('pip hash through the shim prints and exits exactly as the real pip', async () => {
    const box = sandbox();
    const files = manyFiles(box);
    const real = await box.run('/usr/bin/pip', ['hash', ...files]);
    expect(real.exitCode).toBe(0);
    const shimmed = await box.pip(['hash', ...files]);
    expect(shimmed.exitCode).toBe(0);
    expect(shimmed.stderr).toBe(real.stderr);
    expect(shimmed.stdout).toBe(real.stdout);
  });

  it('behind a wrapper that leads back to the shims (pyenv `system`), without looping, for hash and show', async () => {
    const box = sandbox();
    const files = manyFiles(box);
    const wrappers = join(box.dir, 'wrappers');
    mkdirSync(wrappers);
    writeFileSync(join(wrappers, 'pip'), `#!/bin/sh\nPATH=${box.shims}:${SYSTEM_PATH}\nexec pip "$@"\n`, {
      mode: 0o755,
    });
    const env = { PATH: `${box.shims}:${wrappers}:${SYSTEM_PATH}` };
    // hash goes straight to the real pip; show goes through pip-guard, which runs the wrapper.
    for (const command of ['hash', 'show']) {
      const real = await box.run('/usr/bin/pip', [command, ...files]);
      const shimmed = await box.pip([command, ...files], { env });
      expect([shimmed.exitCode, shimmed.stdout, shimmed.stderr]).toEqual([
        real.exitCode,
        real.stdout,
        real.stderr,
      ]);
    }
  });
});
