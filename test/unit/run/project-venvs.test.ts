import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRecord, spelledRoot } from '../../../src/run/project-venvs.js';

const env = { HOME: '/h', XDG_STATE_HOME: '/h/state' };

describe('projectRecord', () => {
  it('names the file by the root, % and / escaped as the shell hook escapes them', () => {
    expect(projectRecord(env, '/home/me/50%/proj')).toBe(
      '/h/state/pip-guard/projects/%2Fhome%2Fme%2F50%25%2Fproj',
    );
  });
});

describe('spelledRoot', () => {
  it("is the root as the shell's PWD spells it through a symlink, and only then", () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'pip-guard-unit-')));
    const project = join(dir, 'real', 'proj');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'pyproject.toml'), '');
    symlinkSync(join(dir, 'real'), join(dir, 'link'));
    const cwd = join(project, 'src');
    const home = { HOME: join(dir, 'home') };
    expect(spelledRoot({ ...home, PWD: join(dir, 'link', 'proj', 'src') }, cwd, project)).toBe(
      join(dir, 'link', 'proj'),
    );
    expect(spelledRoot({ ...home, PWD: cwd }, cwd, project)).toBeUndefined();
    // A PWD that is not the working directory (a subshell that moved): nothing.
    expect(spelledRoot({ ...home, PWD: join(dir, 'link') }, cwd, project)).toBeUndefined();
    expect(spelledRoot(home, cwd, project)).toBeUndefined();
  });
});
