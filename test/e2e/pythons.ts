// Pythons of the tests' own, assembled in a temp dir from Debian's /usr/bin/python3.N: a copy
// of the binary finds its standard library next to it (../lib/python3.N), so a tree of links to
// the real one, with or without EXTERNALLY-MANAGED, makes an interpreter that is, or is not,
// externally managed, whose site directories are the test's to write. Debian's pip is linked in
// (or another pip unpacked from its wheel) and gets `bin/pip`, `bin/pip3` and `bin/pip3.11`
// scripts naming the copy on their #! line.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PY } from './env.js';

const SYSTEM_PYTHON = `/usr/bin/python${PY}`;
const STDLIB = `/usr/lib/python${PY}`;
const MARKER = 'EXTERNALLY-MANAGED';

export interface TestPython {
  prefix: string;
  // bin/python3.11, and bin/pip (bin/pip3 and bin/pip3.11 beside it).
  python: string;
  pip: string;
  // Where pip installs with --break-system-packages (Debian's posix_local scheme).
  sitePackages: string;
  // The file whose presence makes the interpreter externally managed.
  marker: string;
  // Where its pip is (lib/python3/dist-packages).
  distPackages: string;
}

export interface PythonOptions {
  managed: boolean;
  // A pip wheel to install (unpacked, as pip installs a wheel) instead of Debian's pip.
  pipWheel?: string;
}

const PIP_SCRIPT = (python: string) =>
  `#!${python}\nimport re\nimport sys\nfrom pip._internal.cli.main import main\n` +
  `if __name__ == "__main__":\n    sys.argv[0] = re.sub(r"(-script\\.pyw|\\.exe)?$", "", sys.argv[0])\n    sys.exit(main())\n`;

// Makes a Python (Debian's version) under `prefix`; `managed` copies Debian's EXTERNALLY-MANAGED into it.
export function makePython(prefix: string, { managed, pipWheel }: PythonOptions): TestPython {
  const bin = join(prefix, 'bin');
  const stdlib = join(prefix, 'lib', `python${PY}`);
  const dist = join(prefix, 'lib', 'python3', 'dist-packages');
  mkdirSync(bin, { recursive: true });
  mkdirSync(stdlib, { recursive: true });
  mkdirSync(dist, { recursive: true });
  const python = join(bin, `python${PY}`);
  copyFileSync(SYSTEM_PYTHON, python);
  chmodSync(python, 0o755);
  symlinkSync(`python${PY}`, join(bin, 'python3'));
  symlinkSync(`python${PY}`, join(bin, 'python'));
  // dist-packages is Debian's own (it would bring the system's packages along).
  for (const entry of readdirSync(STDLIB)) {
    if (entry !== MARKER && entry !== 'dist-packages') symlinkSync(join(STDLIB, entry), join(stdlib, entry));
  }
  if (pipWheel)
    execFileSync(SYSTEM_PYTHON, [
      '-I',
      '-c',
      'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])',
      pipWheel,
      dist,
    ]);
  else symlinkSync('/usr/lib/python3/dist-packages/pip', join(dist, 'pip'));
  const marker = join(stdlib, MARKER);
  if (managed) copyFileSync(join(STDLIB, MARKER), marker);
  for (const name of ['pip', 'pip3', `pip${PY}`]) {
    writeFileSync(join(bin, name), PIP_SCRIPT(python), { mode: 0o755 });
  }
  const sitePackages = join(prefix, 'local', 'lib', `python${PY}`, 'dist-packages');
  return { prefix, python, pip: join(bin, 'pip'), sitePackages, marker, distPackages: dist };
}
