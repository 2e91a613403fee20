// Facts the unit tables share.
import type { Interpreter } from '../../src/facts/pep668.js';

// Debian's /usr/bin/python3 as pip-guard's probe sees it.
export const managed: Interpreter = {
  python: '/usr/bin/python3',
  version: '3.11',
  prefix: '/usr',
  stdlib: '/usr/lib/python3.11',
  venv: false,
  externallyManaged: true,
};
