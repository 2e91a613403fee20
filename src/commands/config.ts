// pip-guard config [--json]: the effective config here, with where each value came from.
import type { Argv } from 'yargs';
import { homeOf } from '../base/env.js';
import { loadEffectiveConfig } from '../config/effective.js';
import { findProjectRoot } from '../facts/project.js';

export const command = 'config';
export const describe = 'Show the effective config here, and where each value comes from';

export const builder = (y: Argv) =>
  y
    .option('json', { type: 'boolean', default: false, describe: 'Print it as JSON' })
    .example('$0 config', 'the policy, venv, pipx and per-package settings here, each with its source')
    .example('PIP_GUARD_POLICY=block $0 config', 'what an environment variable changes')
    .example('$0 config --json', 'the same, with the config files read, as JSON');

export async function handler(args: { json: boolean }): Promise<number> {
  const env = process.env;
  const cwd = process.cwd();
  const root = findProjectRoot(cwd, homeOf(env));
  const config = await loadEffectiveConfig(env, cwd, root);
  const rows: [string, unknown, string][] = [
    ['policy', config.policy.value, config.policy.from],
    ['venv.path', config.venvPath.value ?? '.venv (or an existing venv/)', config.venvPath.from],
    ['venv.route', config.venvRoute.value, config.venvRoute.from],
    ['pipx.apps', [...config.pipxApps.value].sort(), config.pipxApps.from.join(', ')],
    ...[...config.packages].map(([name, p]): [string, unknown, string] => [
      `packages.${name}`,
      p.value,
      p.from,
    ]),
    ['nonInteractive', config.nonInteractive.value, config.nonInteractive.from],
    ['notice', config.notice.value, config.notice.from],
    ['allowBreakSystemPackages', config.allowBreak.value, config.allowBreak.from],
  ];
  if (args.json) {
    const values = Object.fromEntries(rows.map(([key, value, from]) => [key, { value, from }]));
    console.log(JSON.stringify({ projectRoot: root ?? null, files: config.files, values }, null, 2));
    return 0;
  }
  const shown = (value: unknown) => (Array.isArray(value) ? value.join(', ') : String(value));
  console.log(
    `pip-guard config (project root: ${root ?? 'none'}; files: ${config.files.map((f) => f.file).join(', ') || 'none'})`,
  );
  for (const [key, value, from] of rows) console.log(`  ${key.padEnd(26)} ${shown(value)}   [${from}]`);
  return 0;
}
