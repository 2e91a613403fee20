// pip-guard repair [--yes] [--json] [--python PATH] [--only NAME…] [--to-venv DIR] [--sudo];
// pip-guard repair --restore BUNDLE: moves what pip put into externally-managed Pythons (doctor's
// damage section) into proper homes, losing nothing and offline. A dry run unless --yes.
import { constants } from 'node:os';
import type { Argv } from 'yargs';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import { damageFindings } from '../doctor/damage.js';
import { sectionLines } from '../doctor/finding.js';
import { type Damage, scanPythons } from '../facts/damage.js';
import {
  type Bundle,
  bundlePath,
  bundlesDir,
  readBundle,
  unfinishedBundles,
} from '../facts/repair-bundles.js';
import { gatherRepairFacts, type RepairFacts } from '../facts/repair-facts.js';
import { normalizeName } from '../pip-cli/requirement.js';
import { type PackagePlan, planRepair, type RepairPlan, removalsOf, unknownNames } from '../policy/repair.js';
import { bundlePlan, ending } from '../policy/repair-outcome.js';
import { planWords, restoreWords, standingWords } from '../policy/repair-text.js';
import { lockFor } from '../run/lock.js';
import { consentToSudo } from '../run/repair/as-owner.js';
import { beginRepair } from '../run/repair/begin.js';
import { type Carried, carryOut } from '../run/repair/carry.js';
import { homeContext } from '../run/repair/homes.js';
import { restoreBundle } from '../run/repair/restore.js';
import { resumeCarry, standing } from '../run/repair/resume.js';

export const command = 'repair';
export const describe =
  'Move what `sudo pip` and --break-system-packages put into the system Python to pipx and a venv, offline, with a bundle that undoes it';

export const builder = (y: Argv) =>
  y
    .option('yes', {
      type: 'boolean',
      default: false,
      describe: 'Carry the plan out (without it: a dry run)',
    })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'Print the plan, and with --yes what happened, as JSON',
    })
    .option('python', {
      type: 'string',
      describe: 'Only this externally-managed Python (an interpreter path)',
    })
    .option('only', { type: 'string', array: true, describe: 'Only these packages (and what they need)' })
    .option('to-venv', {
      type: 'string',
      describe: "Libraries go to this venv instead of pip-guard's default venv",
    })
    .option('sudo', {
      type: 'boolean',
      default: false,
      describe: "Let pip-guard use sudo for root's site directories",
    })
    .option('restore', {
      type: 'string',
      describe: 'Put back what the repair with this bundle moved, and undo its homes',
    })
    .conflicts('restore', ['only', 'python', 'to-venv'])
    .example('$0 repair', 'What it would do (nothing is changed)')
    .example('$0 repair --yes', 'Do it: bundle, homes, removal; then the damage that is left')
    .example('$0 repair --yes --only httpie', 'Only httpie, and what it needs')
    .example('$0 repair --restore ~/.local/share/pip-guard/repair/20261206-185201', 'Undo that repair')
    .epilogue(
      'An app goes to pipx, a library to the default venv of its Python (the one `pip-guard run` reaches outside ' +
        "projects), pip itself gives way to the distribution's. Each is rebuilt as a wheel from its installed files, checked " +
        'against its RECORD, into a restore bundle first. A package whose files changed, or that the distribution owns a file ' +
        'of, or that something staying needs, stays, and the plan says why.',
    );

export interface RepairArgs {
  yes: boolean;
  json: boolean;
  python?: string;
  only?: string[];
  'to-venv'?: string;
  sudo: boolean;
  restore?: string;
}

// App commands, as the site probe read them.
const commandsOf = (facts: RepairFacts) => (p: PackagePlan) =>
  facts.pythons.flatMap((py) => ('problem' in py.site ? [] : py.site.dists)).find((d) => d.distInfo === p.id)
    ?.scripts ?? [];

// doctor's damage section, scanned again, with why repair left each package in place.
async function damageAfter(facts: RepairFacts, plan: RepairPlan) {
  const scanned = await scanPythons(facts.scans.map((s) => ({ python: s.python, pip: s.pip })));
  const left = new Map(
    plan.packages.flatMap((p) => (p.action === 'stay' && p.reason ? [[p.id, p.reason] as const] : [])),
  );
  const section = { id: 'damage', title: 'Damage already done', findings: damageFindings(scanned, left) };
  return { lines: sectionLines(section), damage: scanned.damage as Damage[] };
}

function nothingDamaged(facts: RepairFacts): string {
  const checked = facts.scans.filter((scan) => !scan.problem).map((scan) => scan.python);
  if (checked.length === 0)
    return 'pip-guard repair: there is no externally-managed Python among the pips on PATH (name one with --python): nothing to repair.';
  return `pip-guard repair: pip put nothing into the site directories of ${checked.join(', ')}: nothing to repair.`;
}

async function fresh(
  facts: RepairFacts,
  plan: RepairPlan,
  args: RepairArgs,
  only: string[] | undefined,
  env: Env,
) {
  const out = (line: string) => (args.json ? undefined : console.log(line));
  const view = { packages: plan.packages, pythons: facts.pythons, commands: commandsOf(facts) };
  if (!args.yes || plan.units.length === 0) {
    if (args.json)
      console.log(
        JSON.stringify({ dryRun: !args.yes, bundlesDir: bundlesDir(env), packages: plan.packages }, null, 2),
      );
    else {
      for (const line of planWords(view)) out(line);
      out(
        plan.packages.length === 0
          ? nothingDamaged(facts)
          : plan.units.length === 0
            ? 'pip-guard repair: nothing to move (each package above stays, for the reason given); nothing was changed.'
            : `pip-guard repair: a dry run, nothing was changed. \`pip-guard repair --yes\` does this, after rebuilding each package that moves as a wheel into a restore bundle under ${bundlesDir(env)}.`,
      );
    }
    return 0;
  }
  const sudoSites = [
    ...new Set(
      plan.packages
        .filter((p) => p.removal?.as === 'owner' && p.removal.via === 'sudo')
        .map((p) => p.siteDir),
    ),
  ];
  await consentToSudo(sudoSites, args.sudo, 'remove packages');
  const release = await lockFor(env, bundlesDir(env), 'repairing');
  try {
    const begun = await beginRepair({ ...facts, only }, plan, env, (dir) =>
      out(
        `pip-guard repair: restore bundle ${dir} (\`pip-guard repair --restore ${dir}\` undoes this repair)`,
      ),
    );
    for (const line of planWords({ ...view, packages: begun.plan.packages })) out(line);
    const ctx = homeContext(begun.dir, begun.manifest, env);
    const steps: string[] = [];
    const carried = await carryOut({
      dir: begun.dir,
      manifest: begun.manifest,
      journal: [],
      ctx,
      removals: removalsOf(facts),
      env,
      report: (line) => {
        steps.push(line);
        out(line);
      },
    });
    return await finish(facts, begun.plan, carried, begun.dir, steps, args);
  } finally {
    await release();
  }
}

// What happened, doctor's damage section afterwards, and the last line.
async function finish(
  facts: RepairFacts,
  plan: RepairPlan,
  carried: Carried,
  dir: string,
  steps: string[],
  args: RepairArgs,
) {
  if (carried.failed && !args.json) console.log(`\nThe step that failed: ${carried.failed.problem}`);
  const after = await damageAfter(facts, plan);
  const { line, code, outcome } = ending(plan, carried, dir);
  if (args.json) {
    const data = {
      dryRun: false,
      bundle: dir,
      packages: plan.packages,
      steps,
      outcome: {
        ...outcome,
        moved: outcome.moved.map((p) => p.id),
        stayed: outcome.stayed.map((p) => p.id),
        notMoved: outcome.notMoved.map((p) => p.id),
      },
      linked: carried.linked,
      damageAfter: after.damage,
    };
    console.log(JSON.stringify(data, null, 2));
  } else console.log(['', ...after.lines, '', line].join('\n'));
  // Stopped by a signal, after the step it came in: the shell's code for that signal.
  const signal = carried.interrupted as NodeJS.Signals | undefined;
  return signal ? 128 + (constants.signals[signal] ?? 0) : code;
}

export async function handler(args: RepairArgs): Promise<number> {
  const env = process.env;
  const cwd = process.cwd();
  if (args.restore !== undefined) return restore(args, env, cwd);
  const facts = await gatherRepairFacts(env, cwd, { python: args.python, toVenv: args['to-venv'] });
  const only = args.only?.map((name) => normalizeName(String(name)));
  if (only) {
    const unknown = unknownNames(only, facts.pythons);
    if (unknown.length > 0) {
      const known = facts.pythons.flatMap((py) => py.damage.map((d) => d.name));
      throw new UserError(
        `--only ${unknown.join(' ')}: pip did not put ${unknown.length > 1 ? 'these' : 'that'} into ${args.python ?? 'any externally-managed Python on PATH'}, ` +
          `so there is nothing of ${unknown.length > 1 ? 'theirs' : 'its'} to repair. ` +
          (known.length > 0
            ? `The packages repair can move are: ${known.join(', ')} (\`pip-guard doctor\` lists them). `
            : 'pip-guard found none there. ') +
          'Nothing was changed.',
        2,
      );
    }
  }
  const [stopped] = unfinishedBundles(env);
  if (stopped) {
    if (only || args.python || args['to-venv'])
      throw new UserError(
        `a repair was stopped before it finished (its bundle: ${stopped.dir}), and --only, --python and --to-venv are for a new one: ` +
          `finish it first with \`pip-guard repair --yes\`, or undo it with \`pip-guard repair --restore ${stopped.dir}\`. Nothing was changed.`,
        2,
      );
    return resume(stopped, facts, args, env);
  }
  return fresh(facts, planRepair({ ...facts, only }), args, only, env);
}

async function resume(bundle: Bundle, facts: RepairFacts, args: RepairArgs, env: Env): Promise<number> {
  const ctx = homeContext(bundle.dir, bundle.manifest, env);
  const units = bundle.manifest.units;
  const views = standing(bundle, ctx).map((s) => ({
    ...s.package,
    inPlace: s.inPlace,
    home: s.home,
    to: s.to,
    leaves: units.some((u) => u.remove.includes(s.package.id)),
  }));
  if (!args.yes) {
    if (args.json)
      console.log(JSON.stringify({ dryRun: true, stopped: bundle.dir, packages: views }, null, 2));
    else
      console.log(
        [
          ...standingWords(bundle.dir, views),
          `pip-guard repair: a dry run, nothing was changed. \`pip-guard repair --yes\` finishes that repair; \`pip-guard repair --restore ${bundle.dir}\` undoes it.`,
        ].join('\n'),
      );
    return 0;
  }
  const out = (line: string) => (args.json ? undefined : console.log(line));
  const release = await lockFor(env, bundlesDir(env), 'repairing');
  try {
    out(`pip-guard repair: picking up the repair that was stopped, from its bundle ${bundle.dir}`);
    for (const line of standingWords(bundle.dir, views).slice(1)) out(line);
    const steps: string[] = [];
    const report = (line: string) => {
      steps.push(line);
      out(line);
    };
    const carried = await resumeCarry(bundle, ctx, removalsOf(facts), args.sudo, env, report);
    return await finish(facts, bundlePlan(bundle.manifest), carried, bundle.dir, steps, args);
  } finally {
    await release();
  }
}

async function restore(args: RepairArgs, env: Env, cwd: string): Promise<number> {
  const arg = args.restore as string;
  const dir = bundlePath(arg, env, cwd);
  const bundle = readBundle(dir);
  if ('problem' in bundle)
    throw new UserError(
      `--restore ${arg}: ${dir} is not a restore bundle pip-guard can use (${bundle.problem}). ` +
        `Name a bundle that pip-guard repair printed (they are in ${bundlesDir(env)}). Nothing was changed.`,
      2,
    );
  const release = await lockFor(env, bundlesDir(env), 'repairing');
  try {
    const done = await restoreBundle(bundle, homeContext(bundle.dir, bundle.manifest, env), args.sudo);
    const label = (id: string) => {
      const p = bundle.manifest.packages.find((x) => x.id === id);
      return p ? `${p.name} ${p.version}` : id;
    };
    const view = { dir, ...done, restored: done.restored.map(label), inPlace: done.inPlace.map(label) };
    console.log(
      args.json ? JSON.stringify({ restore: dir, ...view }, null, 2) : restoreWords(view).join('\n'),
    );
    return done.problems.length > 0 ? 1 : 0;
  } finally {
    await release();
  }
}
