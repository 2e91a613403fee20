// Which wheels a new venv of an interpreter is seeded from (venv-seed.ts does the seeding): the
// ones its probe found (interpreter.ts), if every one is still there; and in place of the pip
// wheel, the real pip's own installed files where that pip is newer (issue 15: the venv's pip
// must understand what the user typed to theirs). A wheel made of what is installed is how
// Debian builds /usr/share/python-wheels (dirtbike) and how Fedora's ensurepip used to seed
// venvs (rewheel); pip-guard copies the files straight into its cache instead of zipping them.
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { compareVersions } from '../pip-cli/pep440.js';
import type { Interpreter } from './pep668.js';
import type { Pips } from './pip-version.js';

// The wheels to seed a venv of `interpreter` with, if every one ensurepip would install is there.
function seedWheelsOf(interpreter: Interpreter | undefined): string[] | undefined {
  const wheels = Object.values(interpreter?.seedWheels ?? {});
  if (wheels.length === 0 || !wheels.every((wheel) => wheel && existsSync(wheel))) return undefined;
  return wheels as string[];
}

export interface Seeds {
  // Wheels, or an installed pip's .dist-info: what venv-seed.ts unpacks, in order.
  sources: string[];
  // Where the real pip's files stand in for an older pip wheel: that pip, and the wheel.
  newerPip?: { version: string; distInfo: string; wheel: string; wheelVersion: string };
}

// The version in a wheel's file name (pip-23.0.1-py3-none-any.whl: 23.0.1).
const wheelVersion = (wheel: string) => basename(wheel).split('-')[1] ?? '';

// What a new venv of `interpreter` is seeded from, given the pip the real pip runs: the real
// pip's files when they are newer than the pip wheel and were installed for this very Python
// version (pip's code runs there as it is).
export function seedsOf(interpreter: Interpreter | undefined, pips: Pips | undefined): Seeds | undefined {
  const sources = seedWheelsOf(interpreter);
  const wheel = interpreter?.seedWheels?.pip;
  if (!sources || !wheel) return sources && { sources };
  const real = pips?.real;
  const version = wheelVersion(wheel);
  const newer = real?.python === interpreter.version && compareVersions(real.version, version) === 1;
  const distInfo = newer ? real?.distInfo : undefined;
  if (!real || !distInfo) return { sources };
  return {
    sources: sources.map((source) => (source === wheel ? distInfo : source)),
    newerPip: { version: real.version, distInfo, wheel, wheelVersion: version },
  };
}
