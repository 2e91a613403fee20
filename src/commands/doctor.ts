// pip-guard doctor [--json]: checks the pips on PATH, the shims, the config, pipx, the project's
// venv and the damage already done to externally-managed Pythons, each problem with its fix.
// Exit 0 when healthy, 1 otherwise. It writes nothing (not even the interpreter cache).
import type { Argv } from 'yargs';
import { type Env, homeOf, isDebug } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { VERSION } from '../base/version.js';
import type { EffectiveConfig } from '../config/merge.js';
import { configFindings } from '../doctor/config.js';
import { damageFindings } from '../doctor/damage.js';
import { type Finding, problem, type Section, sectionLines } from '../doctor/finding.js';
import { pipFindings } from '../doctor/pips.js';
import { pipxFindings } from '../doctor/pipx.js';
import { shellFindings } from '../doctor/shell.js';
import { shimFindings } from '../doctor/shims.js';
import { venvFindings } from '../doctor/venv.js';
import { callingShell } from '../facts/calling-shell.js';
import { type Damage, findDamage } from '../facts/damage.js';
import { findProjectRoot } from '../facts/project.js';
import { inspectPips, pipsOnPath, realPipFor } from '../facts/real-pips.js';

export const command = 'doctor';
export const describe =
  "Check pip-guard's setup here, and the damage pip already did to the system; each problem with its fix";

export const builder = (y: Argv) =>
  y
    .option('json', { type: 'boolean', default: false, describe: 'Print the report as JSON' })
    .option('fix', {
      type: 'boolean',
      default: false,
      describe: 'Not a doctor option: `pip-guard repair` fixes the damage doctor reports',
    })
    .example('$0 doctor', 'Check everything; exit 1 if anything needs fixing')
    .example('$0 doctor --json', 'The same, for scripts')
    .example('$0 repair', 'What repair would do with the damage doctor reports (a dry run; --yes does it)');

// A check that fails is a finding, so that one broken check never hides the others.
async function section(
  id: string,
  title: string,
  check: () => Finding[] | Promise<Finding[]>,
): Promise<Section> {
  try {
    return { id, title, findings: await check() };
  } catch (error) {
    if (isDebug(process.env)) console.error((error as Error).stack);
    const message = (error as Error)?.message ?? String(error);
    const fix = 'run it again with PIP_GUARD_DEBUG=1 for details, and report it';
    return { id, title, findings: [problem(`pip-guard could not check this: ${message}`, fix)] };
  }
}

async function examine(env: Env, cwd: string) {
  const pips = pipsOnPath(env);
  const reports = await inspectPips(pips, env);
  const root = findProjectRoot(cwd, homeOf(env));
  const real = realPipFor('pip', env);
  const python = 'path' in real ? reports.find((r) => r.path === real.path)?.interpreter?.python : undefined;
  let config: EffectiveConfig | undefined;
  let damage: Damage[] = [];
  const sections = [
    await section('pips', 'pip on PATH', () => pipFindings(pips, reports, env)),
    await section('shims', 'Shims', () => shimFindings(env, pips)),
    await section('shell', 'This shell', () => shellFindings(env, process.ppid)),
    await section('config', 'Config', async () => {
      const check = await configFindings(env, cwd, root);
      config = check.config;
      return check.findings;
    }),
    await section('pipx', 'pipx', () => pipxFindings(env, callingShell(env, process.ppid)?.hook === true)),
    await section('venv', 'Venv', () => venvFindings({ env, root, python, config })),
    await section('damage', 'Damage already done', async () => {
      const scanned = await findDamage(reports);
      damage = scanned.damage;
      return damageFindings(scanned);
    }),
  ];
  const pipsJson = pips.map((pip, i) => ({ ...pip, ...reports[i] }));
  return { sections, pips: pipsJson, damage };
}

function render(sections: readonly Section[], problems: number): string {
  const lines = [`pip-guard doctor (pip-guard ${VERSION})`];
  for (const s of sections) lines.push('', ...sectionLines(s));
  const summary =
    problems === 0
      ? 'No problems found.'
      : `${problems} problem${problems > 1 ? 's' : ''} found: each has its fix above.`;
  return [...lines, '', summary].join('\n');
}

export async function handler(args: { json: boolean; fix: boolean }): Promise<number> {
  // Where people look for it: doctor changes nothing, repair does.
  if (args.fix)
    throw new UserError(
      'doctor only reports, and changes nothing. To fix the damage it reports (packages that pip put into an externally-managed Python), ' +
        'run `pip-guard repair`: it shows its plan first, and `pip-guard repair --yes` carries it out. ' +
        "Each other problem's fix is on its `fix:` line.",
      2,
    );
  const { sections, pips, damage } = await examine(process.env, process.cwd());
  const problems = sections.flatMap((s) => s.findings).filter((f) => f.status === 'problem').length;
  if (args.json) {
    console.log(
      JSON.stringify(
        { version: VERSION, healthy: problems === 0, problems, sections, pips, damage },
        null,
        2,
      ),
    );
  } else {
    console.log(render(sections, problems));
  }
  return problems === 0 ? 0 : 1;
}
