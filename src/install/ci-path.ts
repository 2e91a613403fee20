// GitHub Actions starts each step in a new shell, whose PATH puts first the lines that earlier
// steps appended to the file $GITHUB_PATH names (the last one added first). setup appends pipx's
// bin directory, then the shim directory, so that every later step runs pip, python3 and the
// commands of a project's venv through the shims, and the apps pipx installs by name.
import { appendFileSync, readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Env } from '../base/env.js';
import { fileWriteProblem } from '../base/files.js';

export interface CiPath {
  file: string;
  // The lines to append, in order (the shim directory last, so that it comes first).
  add: string[];
}

// What setup appends to $GITHUB_PATH, when it runs in a GitHub Actions job (nothing that is
// there already).
export function planCiPath(env: Env, shimDir: string, pipxBin: string): CiPath | undefined {
  const file = env.GITHUB_PATH;
  if (env.GITHUB_ACTIONS !== 'true' || !file || !isAbsolute(file)) return undefined;
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split('\n');
  } catch {}
  // Already last in the file: later steps have it first as it is.
  const wanted = [pipxBin, shimDir];
  const present = lines.filter((line) => line !== '');
  const inPlace = wanted.every((dir, i) => present.at(i - wanted.length) === dir);
  return inPlace ? { file, add: [] } : { file, add: wanted };
}

// Why the file cannot be appended to, if it cannot.
export const ciPathProblem = (plan: CiPath) =>
  plan.add.length > 0 ? fileWriteProblem(plan.file) : undefined;

export function applyCiPath(plan: CiPath): void {
  if (plan.add.length > 0) appendFileSync(plan.file, `${plan.add.join('\n')}\n`);
}
