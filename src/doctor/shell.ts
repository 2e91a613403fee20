// doctor's check of the shell that started it: whether it evaluated `pip-guard init` (so that
// `python3 -m pip` goes through pip-guard) and with --activate (the prompt hook that keeps each
// project's venv active), against what setup's block in the rc file promises.
import type { Env } from '../base/env.js';
import { callingShell, SHELL_MARKER } from '../facts/calling-shell.js';
import { isShimDir, pathDirs } from '../facts/path-search.js';
import { hasHookLine, hasInitLine, initLine, rcTarget } from '../install/rc-file.js';
import { defaultShimDir, readManifest } from '../install/shims.js';
import { type Finding, note, ok, problem } from './finding.js';

// What setup --modify-path wrote into this shell's rc file: no init line, the functions, or the hook.
function promised(env: Env): 'none' | 'functions' | 'hook' {
  const dir = pathDirs(env).find(isShimDir) ?? defaultShimDir(env);
  const { file } = rcTarget(env);
  const records = (readManifest(dir)?.rcFiles ?? []).filter((record) => record.file === file);
  if (records.some((record) => hasHookLine(record.inserted))) return 'hook';
  return records.some((record) => hasInitLine(record.inserted)) ? 'functions' : 'none';
}

export function shellFindings(env: Env, parent: number): Finding[] {
  const calling = callingShell(env, parent);
  const { shell, file } = rcTarget(env);
  const wanted = promised(env);
  const line = (kind: 'functions' | 'hook') => initLine(shell, kind) ?? initLine('bash', kind);
  if (calling) {
    const functions = ok(
      "this shell has pip-guard init's functions: `python3 -m pip` goes through pip-guard",
    );
    if (calling.hook)
      return [functions, ok("and its prompt hook: inside a project, the project's venv is active")];
    if (wanted === 'hook')
      return [
        functions,
        problem(
          `${file} asks for the prompt hook (pip-guard init --activate), and this shell runs pip-guard init without it`,
          `open a new shell, or run \`${line('hook')}\` in this one`,
        ),
      ];
    return [
      functions,
      note(
        `no prompt hook: a project's venv becomes active only by hand (\`pip-guard setup --modify-path --activate\` adds the hook)`,
      ),
    ];
  }
  const [pid] = (env[SHELL_MARKER] ?? '').split(' ');
  if (pid) {
    return [
      note(
        `pip-guard init ran in the process ${pid}, which did not start doctor (${parent} did): run doctor from your shell to check it`,
      ),
    ];
  }
  if (wanted !== 'none') {
    return [
      problem(
        `${file} defines pip-guard init's functions${wanted === 'hook' ? ' and prompt hook' : ''}, and this shell has not run them: \`python3 -m pip\` is not guarded here`,
        `open a new shell, or run \`${line(wanted)}\` in this one`,
      ),
    ];
  }
  return [
    note(
      "this shell has no pip-guard init functions: `python3 -m pip` is not guarded, and a project's venv becomes active only by hand (`pip-guard setup --modify-path --activate` adds both)",
    ),
  ];
}
