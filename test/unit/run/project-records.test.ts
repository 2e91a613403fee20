import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRecord, projectRecordPath, renderRecord } from '../../../src/facts/records.js';
import { spelledRoot } from '../../../src/run/project-records.js';

const env = { HOME: '/h', XDG_STATE_HOME: '/h/state' };

describe('projectRecordPath', () => {
  it("is at the root's own path under projects/, whatever the path holds", () => {
    expect(projectRecordPath(env, '/home/me/50%/proj')).toBe(
      '/h/state/pip-guard/projects/home/me/50%/proj/.pip-guard-record',
    );
    expect(projectRecordPath(env, '/home/me/a\nb')).toBe(
      '/h/state/pip-guard/projects/home/me/a\nb/.pip-guard-record',
    );
  });
});

describe('renderRecord and parseRecord', () => {
  it.each([
    [
      'a plain path',
      [
        ['venv', '/p/.venv'],
        ['version', '3.11'],
      ],
    ],
    ['a path with a newline, a quote, a $ and a backquote', [['venv', "/p/x\necho 'a' $HOME `id`/.venv"]]],
    ['a path ending in a newline', [['venv', '/p/x\n']]],
    ['a value that looks like a field', [['venv', 'venv 1\n/evil']]],
  ] as const)('reads back %s as it was written', (_, fields) => {
    const text = renderRecord(fields);
    expect(parseRecord(text)).toEqual(fields);
  });

  it('writes a value of n lines as its name, n, and the lines', () => {
    expect(
      renderRecord([
        ['venv', '/a\nb'],
        ['version', '3.11'],
      ]),
    ).toBe('pip-guard record 1\nvenv 2\n/a\nb\nversion 1\n3.11\n');
  });

  it.each([
    ['another header', 'pip-guard record 2\nvenv 1\n/a\n'],
    ['a count beyond the end', 'pip-guard record 1\nvenv 3\n/a\n'],
    ['no count', 'pip-guard record 1\nvenv\n/a\n'],
    ['no final newline', 'pip-guard record 1\nvenv 1\n/a'],
  ])('takes no record from %s', (_, text) => {
    expect(parseRecord(text)).toBeUndefined();
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
