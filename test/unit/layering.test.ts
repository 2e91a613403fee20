// The layering of src/, as docs/design.md draws it, checked on the imports themselves:
// - facts/, policy/, pip-cli/, config/ and base/ import nothing from run/, install/, doctor/ or
//   commands/ (deciding never depends on doing);
// - base/ imports only base/ and Node;
// - policy/ does no I/O: nothing it imports, however indirectly (types aside), reaches a Node
//   module but node:path, or a package;
// - nothing imports commands/ but the entry (main.ts, cli.ts);
// - facts/ only reads: nothing in it imports what writes a file, and it starts no program but
//   through base/process.ts's capture (its probes: an interpreter's answer, dpkg -S).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

interface Import {
  // A file under src/ ('policy/decide.ts'), or a module's name ('node:fs', 'valibot').
  target: string;
  typeOnly: boolean;
  // The names imported by value ('*': the whole module, as a dynamic import or a namespace).
  names: string[];
}

type Graph = Map<string, Import[]>;

const IMPORT = /^\s*(import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;

// The value names of an import clause: `{ a, b as c, type D }`, a default, `* as ns`.
function namesOf(clause: string | undefined): string[] {
  if (!clause) return [];
  const braces = /\{([^}]*)\}/.exec(clause)?.[1];
  const names = (braces ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part && !part.startsWith('type '))
    .map((part) => part.split(/\s+as\s+/)[0] as string);
  const outside = clause
    .replace(/\{[^}]*\}/, '')
    .replace(/,/g, ' ')
    .trim();
  if (outside.includes('*')) names.push('*');
  else if (outside) names.push('default');
  return names;
}
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

// Each module's imports, static and dynamic, with relative ones as files under src/.
function readGraph(): Graph {
  const graph: Graph = new Map();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        const file = relative(SRC, path);
        const text = readFileSync(path, 'utf8');
        const of = (spec: string) =>
          spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec;
        const imports: Import[] = [];
        for (const m of text.matchAll(IMPORT))
          imports.push({ target: of(m[4] as string), typeOnly: Boolean(m[2]), names: namesOf(m[3]) });
        for (const m of text.matchAll(DYNAMIC))
          imports.push({ target: of(m[1] as string), typeOnly: false, names: ['*'] });
        graph.set(file, imports);
      }
    }
  };
  walk(SRC);
  return graph;
}

const folder = (file: string) => (file.includes('/') ? (file.split('/')[0] as string) : '');
const DECIDING = ['facts', 'policy', 'pip-cli', 'config', 'base'];
const DOING = ['run', 'install', 'doctor', 'commands'];
const ENTRY = ['main.ts', 'cli.ts'];
// What policy may reach: pure code, and Node's path functions.
const PURE_EXTERNAL = ['node:path'];
// What writes a file or starts a program, which facts/ never imports ('*': anything of it).
const WRITERS: Record<string, string[]> = {
  'node:fs': [
    '*',
    'writeFileSync',
    'appendFileSync',
    'rmSync',
    'rmdirSync',
    'unlinkSync',
    'mkdirSync',
    'mkdtempSync',
    'renameSync',
    'copyFileSync',
    'symlinkSync',
    'linkSync',
    'chmodSync',
    'chownSync',
    'truncateSync',
    'utimesSync',
    'writeSync',
  ],
  'node:fs/promises': ['*', 'default'],
  'node:child_process': [
    '*',
    'default',
    'spawn',
    'spawnSync',
    'execFile',
    'execFileSync',
    'exec',
    'execSync',
    'fork',
  ],
  'base/process.ts': ['*', 'run', 'startCapture'],
  'base/own-files.ts': ['*', 'writeOwnFile'],
  'base/files.ts': ['*', 'replaceFile'],
};

// Every import that breaks a rule, as "importer → imported (why)".
function layeringViolations(graph: Graph): string[] {
  const found: string[] = [];
  for (const [file, imports] of graph) {
    for (const { target, names, typeOnly } of imports) {
      const [from, to] = [folder(file), folder(target)];
      const writes = (WRITERS[target] ?? []).filter((name) => names.includes(name));
      if (from === 'facts' && !typeOnly && writes.length > 0)
        found.push(`${file} → ${target} ${writes.join(', ')} (facts/ only reads)`);
      if (DECIDING.includes(from) && DOING.includes(to))
        found.push(`${file} → ${target} (${from}/ decides, ${to}/ does)`);
      if (from === 'base' && graph.has(target) && to !== 'base')
        found.push(`${file} → ${target} (base/ imports only base/)`);
      if (to === 'commands' && !ENTRY.includes(file))
        found.push(`${file} → ${target} (only the entry imports commands/)`);
    }
    if (folder(file) === 'policy') {
      const reached = reach(graph, file);
      for (const [module, via] of reached) {
        if (!graph.has(module) && !PURE_EXTERNAL.includes(module))
          found.push(`${file} → … → ${via} → ${module} (policy/ does no I/O)`);
      }
    }
  }
  return found;
}

// The modules FILE reaches by value imports, each with the file that imports it.
function reach(graph: Graph, file: string): Map<string, string> {
  const seen = new Map<string, string>();
  const queue = [file];
  while (queue.length > 0) {
    const at = queue.shift() as string;
    for (const { target, typeOnly } of graph.get(at) ?? []) {
      if (typeOnly || seen.has(target)) continue;
      seen.set(target, at);
      if (graph.has(target)) queue.push(target);
    }
  }
  return seen;
}

describe('the layering of src/', () => {
  it('holds', () => {
    expect(layeringViolations(readGraph())).toEqual([]);
  });

  it('is broken by a planted import of each kind', () => {
    const graph = readGraph();
    const plant = (file: string, target: string, typeOnly = false, names: string[] = []) => {
      const planted = new Map(graph);
      planted.set(file, [...(graph.get(file) ?? []), { target, typeOnly, names }]);
      return layeringViolations(planted);
    };
    expect(plant('policy/decide.ts', 'run/runner.ts')).toContain(
      'policy/decide.ts → run/runner.ts (policy/ decides, run/ does)',
    );
    expect(plant('facts/project.ts', 'install/shims.ts', true)).toContain(
      'facts/project.ts → install/shims.ts (facts/ decides, install/ does)',
    );
    expect(plant('policy/targets.ts', 'node:fs')).toContain(
      'policy/targets.ts → … → policy/targets.ts → node:fs (policy/ does no I/O)',
    );
    // pip-cli/ is pure; policy reaches it, and through it whatever it imports.
    expect(plant('pip-cli/parse.ts', 'base/process.ts')).toContain(
      'policy/decide.ts → … → base/process.ts → node:child_process (policy/ does no I/O)',
    );
    expect(plant('run/runner.ts', 'commands/setup.ts')).toContain(
      'run/runner.ts → commands/setup.ts (only the entry imports commands/)',
    );
    expect(plant('base/env.ts', 'facts/project.ts')).toContain(
      'base/env.ts → facts/project.ts (base/ imports only base/)',
    );
    // Types are no I/O.
    expect(plant('policy/targets.ts', 'facts/interpreter.ts', true)).toEqual([]);
    // facts/ reads, and runs only its probes.
    expect(plant('facts/project.ts', 'base/own-files.ts', false, ['writeOwnFile'])).toContain(
      'facts/project.ts → base/own-files.ts writeOwnFile (facts/ only reads)',
    );
    expect(plant('facts/project.ts', 'node:fs', false, ['rmSync'])).toContain(
      'facts/project.ts → node:fs rmSync (facts/ only reads)',
    );
    expect(plant('facts/project.ts', 'base/process.ts', false, ['run'])).toContain(
      'facts/project.ts → base/process.ts run (facts/ only reads)',
    );
    expect(plant('facts/project.ts', 'base/process.ts', false, ['capture'])).toEqual([]);
  });
});
