// pip-guard trust [FILE] | --list, and pip-guard untrust [FILE]: which JavaScript config files
// may run. FILE defaults to the JavaScript config that applies in this directory.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { homeOf } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { JS_CONFIG_FILE, projectCandidate } from '../config/candidates.js';
import { listTrusted, trust, untrust } from '../config/trust.js';
import { findProjectRoot } from '../facts/project.js';

// The project's config file, when it is a JavaScript one.
function jsConfigHere(): string {
  const cwd = process.cwd();
  const found = projectCandidate(cwd, findProjectRoot(cwd, homeOf(process.env)));
  if (found && JS_CONFIG_FILE.test(found)) return found;
  throw new UserError(
    'there is no JavaScript config file here to trust: name one, as in `pip-guard trust ./pip-guard.config.js`.',
    2,
  );
}

function target(file: string | undefined): string {
  const path = file ? resolve(file) : jsConfigHere();
  if (!existsSync(path)) throw new UserError(`${path} does not exist: name a config file.`, 2);
  if (!JS_CONFIG_FILE.test(path)) {
    throw new UserError(
      `${path} is not a JavaScript config file: only those need trust (JSON, YAML and TOML never run code).`,
      2,
    );
  }
  return path;
}

// FILE, where both commands take it.
const fileArgument = (y: Argv) =>
  y.positional('file', { type: 'string', describe: 'The config file (default: the one that applies here)' });

export const trustCommand = {
  command: 'trust [file]',
  describe: 'Allow a JavaScript config file (pip-guard.config.js) to run; an edit revokes it',
  builder: (y: Argv) =>
    fileArgument(y)
      .option('list', { type: 'boolean', default: false, describe: 'List the trusted files' })
      .example('$0 trust', "trust this project's pip-guard.config.js (or .cjs, .mjs) as it is now")
      .example(
        '$0 trust tools/pip-guard.config.mjs',
        'trust a file by its path (as PIP_GUARD_CONFIG names it)',
      )
      .example('$0 trust --list', 'the trusted files, their sha256 and when'),
  async handler(args: { file?: string; list: boolean }): Promise<number> {
    if (args.list) {
      const records = listTrusted(process.env);
      for (const r of records) console.log(`${r.path}  sha256:${r.sha256.slice(0, 16)}  ${r.trustedAt}`);
      if (records.length === 0) console.log('pip-guard: no trusted config files');
      return 0;
    }
    const record = trust(process.env, target(args.file));
    console.log(`pip-guard: trusted ${record.path} as it is now; editing it revokes the trust`);
    return 0;
  },
};

export const untrustCommand = {
  command: 'untrust [file]',
  describe: 'Stop a JavaScript config file from running',
  builder: (y: Argv) =>
    fileArgument(y)
      .example('$0 untrust', "stop this project's JavaScript config from running")
      .example('$0 untrust ./pip-guard.config.js', 'the same, by its path'),
  async handler(args: { file?: string }): Promise<number> {
    const path = args.file ? resolve(args.file) : jsConfigHere();
    const removed = untrust(process.env, path);
    console.log(
      removed > 0 ? `pip-guard: ${path} is no longer trusted` : `pip-guard: ${path} was not trusted`,
    );
    return 0;
  },
};
