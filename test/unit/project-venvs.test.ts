import { describe, expect, it } from 'vitest';
import type { EffectiveConfig } from '../../src/config/merge.js';
import type { VenvTarget } from '../../src/project.js';
import { projectRecord, recordedVenv } from '../../src/project-venvs.js';

const env = { HOME: '/h', XDG_STATE_HOME: '/h/state' };
const venv: VenvTarget = { path: '/p/envs/dev', origin: 'project', root: '/p', state: { kind: 'missing' } };
const config = (venvPath: string | undefined, project: boolean) =>
  ({
    venvPath: { value: venvPath, from: 'x' },
    files: project ? [{ kind: 'project', file: '/p/.pip-guardrc' }] : [],
  }) as unknown as EffectiveConfig;

describe('projectRecord', () => {
  it('names the file by the root, % and / escaped as the shell hook escapes them', () => {
    expect(projectRecord(env, '/home/me/50%/proj')).toBe(
      '/h/state/pip-guard/projects/%2Fhome%2Fme%2F50%25%2Fproj',
    );
  });
});

describe('recordedVenv', () => {
  it.each([
    [venv, config('envs/dev', false), '/p/envs/dev'],
    [venv, config(undefined, true), '/p/envs/dev'],
    // The hook's own rules find it: no record.
    [venv, config(undefined, false), undefined],
    [{ ...venv, origin: 'default' } as VenvTarget, config('envs/dev', true), undefined],
  ])('%j with %j: %s', (target, effective, recorded) => {
    expect(recordedVenv({ venv: target, config: effective })).toBe(recorded);
  });
});
