// Which wheels a new venv of an interpreter is seeded from (venv-seed.ts does the seeding): the
// ones its probe found (interpreter.ts), if every one is still there.
import { existsSync } from 'node:fs';
import type { Interpreter } from './pep668.js';

// The wheels to seed a venv of `interpreter` with, if every one ensurepip would install is there.
export function seedWheelsOf(interpreter: Interpreter | undefined): string[] | undefined {
  const wheels = Object.values(interpreter?.seedWheels ?? {});
  if (wheels.length === 0 || !wheels.every((wheel) => wheel && existsSync(wheel))) return undefined;
  return wheels as string[];
}
