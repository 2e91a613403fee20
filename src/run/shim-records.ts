// pip-guard's answers for the pip shim (shims/pip.sh, shims/checks.sh), so that it need not start
// pip-guard for a command whose answer cannot have changed: data (facts/records.ts) that the shim
// reads and compares in a fixed loop, never runs, holding the decision and every fact it rests
// on, checked by content and identity (sh built-ins only: `read`, `-ef`, `-e`), never by a
// timestamp that a copy or a package manager can set back. When any fact differs, or the shim
// meets a field it does not know, the command goes to pip-guard, which decides afresh.
//   forward/<real pip>, scope all: a real pip whose Python never refuses (a venv's, or one without
//     EXTERNALLY-MANAGED) gets every command as typed, as decide() forwards them.
//   forward/<real pip>, scope outside: a read-only command (list, show, freeze, check, inspect)
//     outside any project goes to the real pip as typed.
//   projects/<root>/.pip-guard-route.<name>: a read-only command in a project goes to the own pip
//     of the venv pip-guard vetted there, after the notice pip-guard prints.
// The facts: the environment that places pip's and pip-guard's files, the real pip's first lines
// and the Python they name, its PEP 668 marker and venv files, pip's config files and
// pip-guard's (their text where they exist), the pips' versions (pip/__init__.py).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Env } from '../base/env.js';
import { realPath, statOf } from '../base/files.js';
import { ownCacheDir, ownStateDir, writeOwnFile } from '../base/own-files.js';
import { configInputs, JS_CONFIG_FILE } from '../config/candidates.js';
import type { Interpreter } from '../facts/pep668.js';
import { type Fields, READ_ONLY_COMMANDS, ROUTE_RECORD, renderRecord, snapshotOf } from '../facts/records.js';
import { headLines, readScriptHead, trampolinePython } from '../facts/shebang.js';
import { pipConfigFiles } from '../pip-cli/config-files.js';
import type { PipCommandLine } from '../pip-cli/parse.js';
import type { Decision, Facts, VenvPlan } from '../plan.js';
import { routeNoticeParts } from './notices.js';

// A file's text as the shim reads it back (its lines joined, the last newline aside), when a
// record can hold it: not too long to read a byte at a time, no NUL.
const MAX_TEXT = 16 * 1024;
function textOf(file: string): string | undefined {
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > MAX_TEXT || text.includes('\0')) return undefined;
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  } catch {
    return undefined;
  }
}

// Each file as a fact: its text where it exists, its absence where not; undefined where one
// cannot be held (a JavaScript config, whose trust is a fact of its own; too long; unreadable).
function fileFacts(files: readonly string[]): Fields | undefined {
  const fields: [string, string][] = [];
  for (const file of files) {
    if (!statOf(file)) {
      fields.push(['absent', file]);
      continue;
    }
    const text = JS_CONFIG_FILE.test(file) ? undefined : textOf(file);
    if (text === undefined) return undefined;
    fields.push(['file', file], ['text', text]);
  }
  return fields;
}

// A pip's version as a fact: pip/__init__.py's lines up to its `__version__` line, which the
// shim reads back as far as that (a byte at a time: the rest of the file would cost it a read
// each); undefined where there is no such line near the top.
function versionFacts(pips: readonly string[]): Fields | undefined {
  const fields: [string, string][] = [];
  for (const file of pips) {
    const lines = textOf(file)?.split('\n');
    const at = lines?.findIndex((line) => /^__version__\s*=/.test(line)) ?? -1;
    if (!lines || at === -1 || at > 20) return undefined;
    fields.push(['file', file], ['head', lines.slice(0, at + 1).join('\n')]);
  }
  return fields;
}

// The real pip's first lines that name its Python: its #! line, and distlib's sh trampoline if any.
function headOf(realPip: string, python: string): string[] | undefined {
  try {
    const text = readScriptHead(realPip);
    const head = headLines(text);
    const named =
      head.length === 1
        ? head[0] === `#!${python}`
        : head[0] === '#!/bin/sh' && trampolinePython(text) === python;
    return named ? head : undefined;
  } catch {
    return undefined;
  }
}

// The real pip and the Python it runs, as facts: its first lines, that Python's file, and whether
// it is a venv's (pyvenv.cfg beside or above it) or carries EXTERNALLY-MANAGED.
function interpreterFacts(facts: Facts, interpreter: Interpreter): Fields | undefined {
  const head = headOf(facts.realPip, interpreter.python);
  if (!head) return undefined;
  const bin = dirname(interpreter.python);
  const cfgs = [join(bin, 'pyvenv.cfg'), join(dirname(bin), 'pyvenv.cfg')];
  const marker = join(interpreter.stdlib, 'EXTERNALLY-MANAGED');
  const venv: Fields = interpreter.venv
    ? cfgs.filter((path) => statOf(path) !== undefined).map((path) => ['present', path] as const)
    : [
        ...cfgs.map((path) => ['absent', path] as const),
        [interpreter.externallyManaged ? 'present' : 'absent', marker],
      ];
  return [
    ['real', facts.realPip],
    ...head.map((line) => ['line', line] as const),
    ['same', interpreter.python],
    ['as', realPath(interpreter.python)],
    ...venv,
  ];
}

// Whether pip's command line leaves the environment to pip-guard, as the shim's read_only does.
export function routable(line: PipCommandLine): boolean {
  if (!READ_ONLY_COMMANDS.includes(line.command ?? '')) return false;
  return !line.argv.some((arg) => /^--(py|pa|us|is|req)|^--u$/.test(arg));
}

// What the shim checks and does for this decision, or undefined where it cannot hold it.
function recordFor(plan: Decision, facts: Facts, env: Env): { file: string; fields: Fields } | undefined {
  const { interpreter, line, realPipArgs, settings } = facts;
  if (!interpreter || realPipArgs.length > 0 || !facts.realPip.startsWith('/')) return undefined;
  if ('problem' in settings || settings.has('python') || line.problem) return undefined;
  const common = interpreterFacts(facts, interpreter);
  const pipFiles = fileFacts(pipConfigFiles(env, interpreter.prefix, false));
  if (!common || !pipFiles) return undefined;
  const base: Fields = [['env', snapshotOf(env)], ...common, ...pipFiles];
  const forward = plan.kind === 'forward' && !plan.argv && !plan.notice;
  const cache = (scope: string, more: Fields) => {
    const file = ownCacheDir(env, 'forward', facts.realPip);
    return file ? { file, fields: [...base, ...more, ['scope', scope]] as Fields } : undefined;
  };
  if (forward && !facts.verdict.refuses && !interpreter.externallyManaged) return cache('all', []);
  if (forward && interpreter.venv) return cache('all', []);
  if (!routable(line) || !interpreter.externallyManaged || interpreter.venv) return undefined;
  if (forward && facts.venv.origin === 'default') {
    const config = fileFacts(configInputs(env, undefined));
    return config && cache('outside', [...config, ['absent', facts.venv.path]]);
  }
  if (plan.kind === 'venv' && plan.purpose === 'route') return routeRecord(plan, facts, env, base);
  return undefined;
}

// A read-only command in a project, to the own pip of the venv pip-guard vetted there.
function routeRecord(plan: VenvPlan, facts: Facts, env: Env, base: Fields) {
  const { venv } = plan;
  const root = venv.root;
  if (venv.origin !== 'project' || !root || plan.pip.real || plan.pip.command.length !== 1) return undefined;
  if (venv.state.kind !== 'valid' || !venv.state.provenance || !facts.pips?.real || !facts.pips.venv)
    return undefined;
  const config = fileFacts(configInputs(env, root));
  const pips = versionFacts(
    [facts.pips.real, facts.pips.venv].map((pip) => join(pip.site, 'pip', '__init__.py')),
  );
  const home = /^\s*home\s*=\s*(.+?)\s*$/m.exec(textOf(join(venv.path, 'pyvenv.cfg')) ?? '')?.[1];
  const file = ownStateDir(env, 'projects', root, `${ROUTE_RECORD}${facts.name}`);
  if (!config || !pips || !home || !file) return undefined;
  const [before, after] = routeNoticeParts(plan, facts.name);
  const notice: Fields = facts.config.notice.value
    ? [
        ['notice', before],
        ['after', after],
      ]
    : [];
  return {
    file,
    fields: [
      ...base,
      ...config,
      ...pips,
      ['present', home] as const,
      ['venv', venv.path] as const,
      ['pip', plan.pip.command[0] as string] as const,
      ...notice,
    ],
  };
}

// After pip ran as the plan said: leaves the shim the answer for next time, where it can hold it.
export function rememberAnswer(plan: Decision, facts: Facts, env: Env): void {
  const record = recordFor(plan, facts, env);
  try {
    if (record) writeOwnFile(record.file, renderRecord(record.fields));
  } catch {
    // Without it, the next call only starts pip-guard again.
  }
}
