import { describe, expect, it } from 'vitest';
import { statusLine } from '../../../src/run/venv.js';

describe('statusLine', () => {
  it.each([
    ['/p/.venv', 80, 'pip-guard: making the venv /p/.venv…'],
    ['/home/me/a-long-project-name/.venv', 50, 'pip-guard: making the venv …g-project-name/.venv…'],
    ['/home/me/proj ü/.venv', 80, 'pip-guard: making the venv /home/me/proj ü/.venv…'],
    ['/home/me/a-long-project-name/.venv', 30, 'pip-guard: making a venv…'],
  ])('%s on %i columns', (path, columns, expected) => {
    const line = statusLine(path, columns);
    expect(line).toBe(expected);
    expect([...line].length).toBeLessThan(columns);
  });
});
