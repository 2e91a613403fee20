// doctor's config checks: the files in effect here, the trust of a JavaScript one, and any
// error that would stop every guarded pip command (reported, not thrown), found by the loader
// the guard itself uses (config/effective.ts).
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { shellQuote } from '../base/shell.js';
import { JS_CONFIG_FILE, projectCandidate } from '../config/candidates.js';
import { loadEffectiveConfig } from '../config/effective.js';
import type { EffectiveConfig } from '../config/merge.js';
import { isTrusted } from '../config/trust.js';
import { type Finding, note, ok, problem } from './finding.js';

// The project's JavaScript config, the one file here that runs code, when there is one.
function jsConfig(env: Env, cwd: string, root: string | undefined): string | undefined {
  const file = env.PIP_GUARD_CONFIG ? resolve(cwd, env.PIP_GUARD_CONFIG) : projectCandidate(cwd, root);
  return file && JS_CONFIG_FILE.test(file) && existsSync(file) ? file : undefined;
}

function trustFinding(env: Env, file: string): Finding {
  if (isTrusted(env, file, readFileSync(file)))
    return ok(`${file} is a JavaScript config file, trusted as it is now`);
  return problem(
    `${file} is a JavaScript config file that has not been trusted (or was edited since), so every guarded pip command here stops`,
    `read it, then run \`pip-guard trust ${shellQuote(file)}\`, or delete it`,
  );
}

export interface ConfigCheck {
  findings: Finding[];
  // The effective config, when it loads.
  config?: EffectiveConfig;
}

export async function configFindings(env: Env, cwd: string, root: string | undefined): Promise<ConfigCheck> {
  const js = jsConfig(env, cwd, root);
  const trust = js ? trustFinding(env, js) : undefined;
  const untrusted = trust?.status === 'problem' ? js : undefined;
  let config: EffectiveConfig;
  try {
    config = await loadEffectiveConfig(env, cwd, root);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    // The loader stops at the untrusted file, which the trust finding already names.
    const known = untrusted !== undefined && error.message.startsWith(untrusted);
    const broken = problem(
      'pip-guard cannot read its config here, so every guarded pip command stops',
      error.message,
    );
    return { findings: [...(trust ? [trust] : []), ...(known ? [] : [broken])] };
  }
  const files = config.files.map((f) => ok(`${f.kind} config: ${f.file}`));
  return {
    config,
    findings: [
      ...(files.length > 0 ? files : [note('no config files apply here: the defaults do')]),
      ...(trust ? [trust] : []),
      note(`policy: ${config.policy.value} (from ${config.policy.from})`),
    ],
  };
}
