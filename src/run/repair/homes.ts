// The homes a repair gives packages, from the wheels rebuilt into its bundle, offline (--no-index,
// --no-deps: exactly the bundle's packages, nothing resolved or fetched): an app to pipx, with
// what it needs injected into its venv; libraries to a venv (pip-guard's default one made first
// where it is not there yet). Each is checked afterwards; --restore takes back what a repair put
// there, and only that.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from '../../base/env.js';
import { statOf } from '../../base/files.js';
import { capture } from '../../base/process.js';
import { shellQuote } from '../../base/shell.js';
import { venvSitePackages } from '../../facts/pip-version.js';
import { pipxFacts } from '../../facts/pipx-installed.js';
import type { BundledPackage, BundledUnit, Manifest } from '../../facts/repair-bundles.js';
import { venvDists } from '../../facts/repair-facts.js';
import { normalizeName } from '../../pip-cli/requirement.js';
import type { VenvMaker } from '../venv.js';

export interface HomeContext {
  env: Env;
  bundle: string;
  packages: ReadonlyMap<string, BundledPackage>;
  // Python → how its real pip runs (for a venv without a pip of its own) and how to make its venv.
  pips: Readonly<Record<string, string[]>>;
  makers: Readonly<Record<string, VenvMaker>>;
  // Called with the pid of each program started (the journal names it).
  onStart?: (pid: number) => void;
}

// The context of a bundle's homes.
export const homeContext = (bundle: string, manifest: Manifest, env: Env): HomeContext => ({
  env,
  bundle,
  packages: new Map(manifest.packages.map((p) => [p.id, p])),
  pips: manifest.pips,
  makers: manifest.makers,
});

export type HomeResult = { ok: true; installing: string[] } | { ok: false; problem: string };

const wheelOf = (ctx: HomeContext, id: string) =>
  join(ctx.bundle, (ctx.packages.get(id) as BundledPackage).wheel);
const pkg = (ctx: HomeContext, id: string) => ctx.packages.get(id) as BundledPackage;
// pip in pipx's venv, offline and --isolated (no pip config or PIP_* variable of the user's adds
// an index or other wheels): what it needs comes from the bundle's wheels alone, one version each.
const offline = (ctx: HomeContext, extra = '') =>
  `--pip-args=--isolated --no-index --find-links ${shellQuote(join(ctx.bundle, 'wheels'))}${extra}`;

// Runs a step of a home, shielded (it finishes once started), and says what went wrong.
async function step(ctx: HomeContext, file: string, args: string[]): Promise<string | undefined> {
  const result = await capture(file, args, ctx.env, false, { shielded: true, onStart: ctx.onStart }).catch(
    (error: Error) => ({ code: undefined, stdout: '', stderr: error.message }),
  );
  if (result.code === 0) return undefined;
  const output = `${result.stdout}\n${result.stderr}`.trim();
  return `\`${[file, ...args].join(' ')}\` failed (exit code ${result.code ?? 'none'})${output ? `:\n${output}` : ''}`;
}

export const pipxHas = (env: Env, p: BundledPackage) =>
  pipxFacts(env).apps.get(normalizeName(p.name))?.version === p.version;

// An app into pipx, with what it needs (--force where an earlier run started it and pipx does not
// list it as the bundle has it: a venv pipx left half made). An app
// whose venv sees the distribution's packages (for what only they provide) would see the system's
// copies of the rest too, and pip would install none of them: they are injected, --ignore-installed.
async function intoPipx(unit: BundledUnit, ctx: HomeContext, retry: boolean): Promise<HomeResult> {
  const pipx = pipxFacts(ctx.env).path;
  if (!pipx) return { ok: false, problem: 'pipx is not on PATH' };
  const lead = pkg(ctx, unit.lead);
  const install = ['install', '--python', unit.python, ...(retry ? ['--force'] : [])];
  const deps = unit.install.slice(1).map((id) => wheelOf(ctx, id));
  const failed = !unit.systemSite
    ? await step(ctx, pipx, [...install, offline(ctx), wheelOf(ctx, unit.lead)])
    : ((await step(ctx, pipx, [
        ...install,
        '--system-site-packages',
        offline(ctx, ' --no-deps'),
        wheelOf(ctx, unit.lead),
      ])) ??
      (deps.length > 0
        ? await step(ctx, pipx, ['inject', offline(ctx, ' --no-deps --ignore-installed'), lead.name, ...deps])
        : undefined));
  if (failed) return { ok: false, problem: failed };
  if (!pipxHas(ctx.env, lead))
    return { ok: false, problem: `pipx does not list ${lead.name} ${lead.version} afterwards` };
  return { ok: true, installing: [unit.lead] };
}

// What a venv has: normalised name → version.
export const venvHas = (venv: string, version: string) => new Map(Object.entries(venvDists(venv, version)));

const venvVersion = (ctx: HomeContext, unit: BundledUnit) => ctx.makers[unit.python]?.version ?? '';

// The venv's own pip, else the real pip with --python.
function venvPip(ctx: HomeContext, unit: BundledUnit): string[] {
  const venv = unit.venv as string;
  const python = join(venv, 'bin', 'python');
  const own = existsSync(join(venvSitePackages(venv, venvVersion(ctx, unit)), 'pip'));
  return own ? [python, '-m', 'pip'] : [...(ctx.pips[unit.python] ?? []), '--python', python];
}

// Libraries into a venv: those of the unit it lacks.
async function intoVenv(unit: BundledUnit, ctx: HomeContext): Promise<HomeResult> {
  const venv = unit.venv as string;
  const version = venvVersion(ctx, unit);
  const install = async () => {
    // What the venv has of its own (or from the stopped run, which finished its step) stays as it is.
    const has = venvHas(venv, version);
    const installing = unit.install.filter((id) => !has.has(normalizeName(pkg(ctx, id).name)));
    if (installing.length === 0) return { ok: true as const, installing };
    const [file, ...pip] = venvPip(ctx, unit) as [string, ...string[]];
    const args = [...pip, 'install', '--no-index', '--no-deps'];
    const failed = await step(ctx, file, [...args, ...installing.map((id) => wheelOf(ctx, id))]);
    return failed ? { ok: false as const, problem: failed } : { ok: true as const, installing };
  };
  if (statOf(join(venv, 'pyvenv.cfg'))) return install();
  // pip-guard's default venv, made as for `pip install` (run/venv.ts), under its lock.
  let result: HomeResult = { ok: false, problem: 'the venv was not made' };
  const { inNewVenv } = await import('../venv.js');
  await inNewVenv(venv, ctx.makers[unit.python] as VenvMaker, ctx.env, async () => {
    result = await install();
    return { code: result.ok ? 0 : 1 };
  });
  return result;
}

export function installHome(unit: BundledUnit, ctx: HomeContext, retry: boolean): Promise<HomeResult> {
  if (unit.to === 'pipx') return intoPipx(unit, ctx, retry);
  if (unit.to === 'venv') return intoVenv(unit, ctx);
  return Promise.resolve({ ok: true, installing: [] });
}

// Whether the unit's home has what the bundle has (then it is done).
export function homeDone(unit: BundledUnit, ctx: HomeContext): boolean {
  if (unit.had || unit.to === 'distribution') return true;
  if (unit.to === 'pipx') return pipxHas(ctx.env, pkg(ctx, unit.lead));
  const has = venvHas(unit.venv as string, venvVersion(ctx, unit));
  return unit.install.every((id) => has.get(normalizeName(pkg(ctx, id).name)) === pkg(ctx, id).version);
}

// After the system's copy (and its command) is gone: the app's commands that pipx could not link
// because that copy's were in the way (`pip install --user` writes into ~/.local/bin), linked as
// pipx links them.
export function linkApp(env: Env, p: BundledPackage): string[] {
  const facts = pipxFacts(env);
  const app = facts.apps.get(normalizeName(p.name));
  const linked: string[] = [];
  for (const command of app?.commands ?? []) {
    const target = join(app?.venv as string, 'bin', command);
    const link = join(facts.binDir, command);
    if (statOf(link, true) || !existsSync(target)) continue;
    try {
      // pip took the directory too when that command was all it held.
      mkdirSync(facts.binDir, { recursive: true });
      symlinkSync(target, link);
      linked.push(command);
    } catch {}
  }
  return linked;
}

// Takes back what a repair installed into a home (the pipx app, or the venv's packages named)
// where it is still there as the bundle has it; says what it took back ("name version"), or why
// it could not.
export async function undoHome(
  unit: BundledUnit,
  installing: readonly string[],
  ctx: HomeContext,
): Promise<string[] | string> {
  if (unit.to === 'pipx') {
    const lead = pkg(ctx, unit.lead);
    const pipx = pipxFacts(ctx.env).path;
    if (!pipx || !pipxHas(ctx.env, lead)) return [];
    return (await step(ctx, pipx, ['uninstall', lead.name])) ?? [`${lead.name} ${lead.version} (pipx)`];
  }
  if (unit.to !== 'venv' || !statOf(join(unit.venv as string, 'pyvenv.cfg'))) return [];
  const has = venvHas(unit.venv as string, venvVersion(ctx, unit));
  const taken = installing
    .map((id) => pkg(ctx, id))
    .filter((p) => has.get(normalizeName(p.name)) === p.version);
  if (taken.length === 0) return [];
  const [file, ...pip] = venvPip(ctx, unit) as [string, ...string[]];
  const failed = await step(ctx, file, [...pip, 'uninstall', '-y', ...taken.map((p) => p.name)]);
  return failed ?? taken.map((p) => `${p.name} ${p.version} (${unit.venv})`);
}
