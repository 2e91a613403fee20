// A Plan in words and commands, for `pip-guard explain`: what would run, in order.
import { shellQuote } from '../base/shell.js';
import {
  type Decision,
  type Facts,
  realPipCommand,
  typedPip,
  type VenvMaking,
  type VenvPlan,
} from '../plan.js';

const shellLine = (argv: readonly string[]) => argv.map(shellQuote).join(' ');

// The commands a plan runs, as argv lists, exactly as the runner carries them out; prompts and
// failures run none of their own.
export function planCommands(plan: Decision, facts: Facts): string[][] {
  switch (plan.kind) {
    case 'forward':
    case 'attempt':
      return [realPipCommand(facts, ('argv' in plan && plan.argv) || facts.line.argv)];
    case 'venv':
      return [...(plan.make ? [plan.make.argv] : []), [...plan.pip.command, ...plan.argv]];
    case 'pipx': {
      // The venv for packages pipx refuses runs only if it does (see describePlan).
      const others = plan.others ? planCommands(plan.others, facts) : [];
      return [...plan.calls.map((call) => [plan.pipx, ...call.argv]), ...others];
    }
    case 'sequence':
      return plan.steps.flatMap((step) => planCommands(step, facts));
    case 'prompt':
    case 'fail':
      return [];
  }
}

// How a new venv gets its pip: seeded from the wheels ensurepip would use (or the real pip's own
// files, where that pip is newer), or by ensurepip.
function seedLine(make: VenvMaking): string {
  const { seeds } = make;
  if (!seeds)
    return `no wheel to seed pip from was found: \`python -m venv\` has ensurepip install pip, as by hand`;
  const linked = "(unpacked once into pip-guard's cache, then linked in, as virtualenv does)";
  const newer = seeds.newerPip;
  if (!newer) return `pip seeded from ${seeds.sources.join(' and ')} ${linked}`;
  const others = seeds.sources.filter((source) => source !== newer.distInfo);
  return (
    `pip ${newer.version} seeded from the real pip's own files, ${newer.distInfo}, since the wheel ensurepip would use, ` +
    `${newer.wheel}, is pip ${newer.wheelVersion}, older than the real pip${others.length > 0 ? `; ${others.join(' and ')} from the wheel` : ''} ${linked}`
  );
}

// Where pip-guard writes a new venv's own files from its copy of venv's output (run/venv-template.ts).
const TEMPLATE_LINE =
  "the venv's own files (pyvenv.cfg, bin/python, the activate scripts) written from pip-guard's copy of what " +
  '`python -m venv --without-pip` wrote, where it keeps one for such a path; else by that command';

// For a venv whose own pip is older than the real pip: which one runs there, and why.
function olderPipLine(plan: VenvPlan): string[] {
  const { older } = plan.pip;
  if (!older) return [];
  return [
    `the venv's own pip is ${older.own}, older than the real pip (${older.real}): the real pip runs there with --python, and the venv's pip is left as it is`,
  ];
}

// One line per step, in words.
function describePlan(plan: Decision, facts: Facts, indent = ''): string[] {
  const commands = (p: Decision) => planCommands(p, facts).map((argv) => `${indent}  $ ${shellLine(argv)}`);
  switch (plan.kind) {
    case 'forward':
      return [
        `${indent}run the real pip${plan.argv ? ' with --break-system-packages' : ' as typed'}`,
        ...commands(plan),
      ];
    case 'attempt':
      return [
        plan.fallback
          ? `${indent}run the real pip as typed; only if it refuses under PEP 668, hide that, and then:`
          : `${indent}run the real pip as typed; if it refuses under PEP 668, hide that, ask it which Python refused (pip debug), and decide again`,
        ...commands(plan),
        ...(plan.fallback ? describePlan(plan.fallback, facts, `${indent}  `) : []),
      ];
    case 'venv':
      return [
        plan.dryRun === 'instead'
          ? `${indent}a dry run: ${plan.venv.path} does not exist yet, so show what it would get against an empty temporary --target, and make nothing`
          : `${indent}${plan.make ? `create the venv ${plan.venv.path} and ` : ''}run pip in ${plan.venv.path}`,
        ...(plan.make ? [`${indent}  ${seedLine(plan.make)}`] : []),
        ...(plan.make?.seeds ? [`${indent}  ${TEMPLATE_LINE}`] : []),
        ...olderPipLine(plan).map((line) => `${indent}  ${line}`),
        ...commands(plan),
      ];
    case 'pipx': {
      const lines = [`${indent}run pipx once per package`, ...commands(plan)];
      if (!plan.noCommands) return lines;
      const fallback = describePlan(plan.noCommands, facts, `${indent}  `);
      return [...lines, `${indent}and only if pipx refuses a package for having no commands:`, ...fallback];
    }
    case 'sequence':
      return [
        `${indent}one step per policy:`,
        ...plan.steps.flatMap((step) => describePlan(step, facts, `${indent}  `)),
      ];
    case 'prompt':
      return [
        `${indent}ask: ${plan.question} (preselected: ${plan.initial})`,
        ...plan.choices.flatMap((choice) => [
          `${indent}  - ${choice.label}:`,
          ...describePlan(choice.plan, facts, `${indent}    `),
        ]),
      ];
    case 'fail':
      return [`${indent}stop with exit code ${plan.exitCode}: ${plan.message}`];
  }
}

// What pip-guard ran to gather the facts (its probes), each on a line, a long word cut short.
const ranLines = (ran: readonly string[][]) =>
  ran.length === 0
    ? ['  ran:          nothing']
    : [
        '  ran:',
        ...ran.map(
          (argv) =>
            `      $ ${shellLine(argv.map((word) => (word.length > 60 ? `${word.split('\n')[0]?.slice(0, 40)}…` : word)))}`,
        ),
      ];

// `pip-guard explain`: the facts that decided, what pip-guard ran to learn them, then the plan
// step by step.
export function explainText(plan: Decision, facts: Facts, ran: readonly string[][] = []): string {
  const { verdict, interpreter, config, venv } = facts;
  const refuses =
    verdict.refuses === true
      ? 'pip would refuse'
      : verdict.refuses === false
        ? 'pip would not refuse'
        : 'cannot tell';
  const files = config.files.map((f) => `${f.file} (${f.kind})`).join(', ') || 'none';
  const python = interpreter ? `, on ${interpreter.python} (Python ${interpreter.version})` : '';
  return [
    `pip-guard explain: ${typedPip(facts)} ${shellLine(facts.line.argv)}`.trimEnd(),
    `  real pip:     ${shellLine(realPipCommand(facts, []))}${python}`,
    `  PEP 668:      ${refuses}: ${verdict.reason}`,
    `  config files: ${files}`,
    `  policy:       ${config.policy.value} (${config.policy.from})`,
    `  venv:         ${venv.path} (${venv.state.kind})`,
    ...ranLines(ran),
    `  plan:         ${plan.reason}`,
    ...describePlan(plan, facts, '    '),
  ].join('\n');
}

// `pip-guard explain --json`: the same, as data (Maps and Sets as lists).
export function explainJson(plan: Decision, facts: Facts, ran: readonly string[][] = []): string {
  const { line, interpreter, verdict, venv, config, pips } = facts;
  const json = {
    pip: {
      name: facts.name,
      realPip: facts.realPip,
      realPipArgs: facts.realPipArgs,
      argv: line.argv,
      command: line.command ?? null,
      problem: line.problem ?? null,
    },
    interpreter: interpreter ?? null,
    pep668: verdict,
    venv,
    pips: pips ?? null,
    config: { files: config.files, policy: config.policy },
    ran,
    plan,
    commands: planCommands(plan, facts),
  };
  return JSON.stringify(
    json,
    (_, value) => (value instanceof Map || value instanceof Set ? [...value] : value),
    2,
  );
}
