// The rules for a project's venv.path: a config file from a cloned repository chooses where
// pip-guard makes a venv and runs its pip, so the path must stay inside the project, both as
// written and once symlinks are followed.
import { isAbsolute, relative, resolve } from 'node:path';
import { realPath } from '../base/files.js';
import { isWithin } from '../facts/project.js';

// As written: a relative path that names a directory inside `base` (not `base` itself).
export function venvPathOutside(file: string, path: string, base: string): string | undefined {
  const rel = relative(base, resolve(base, path));
  if (!isAbsolute(path) && rel !== '' && isWithin(resolve(base, path), base)) return undefined;
  return `${file}: venv.path is "${path}", which is not inside the project (${base}): use a path such as ".venv".`;
}

// Once symlinks are followed: a venv.path that leads out of the project through one.
export function venvPathEscapes(file: string, path: string, root: string): string | undefined {
  if (isWithin(realPath(resolve(root, path)), realPath(root))) return undefined;
  return (
    `${file}: venv.path is "${path}", which leads out of the project (${root}) through a symlink: ` +
    'use a path inside the project, such as ".venv".'
  );
}
