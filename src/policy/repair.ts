// `pip-guard repair`: what becomes of each package pip put into an externally-managed Python,
// decided from the facts alone (pure; tested in tables). An app goes to pipx, a library to
// pip-guard's default venv (or --to-venv), pip itself gives way to the distribution's; what they
// need moves with them. A package stays where it is, with the reason, when its files no longer
// match its RECORD, when the distribution owns one of them, when something that stays (or one of
// the distribution's packages) needs it, or when its home could not have what it needs offline.
// Each home is a unit: installed first, then the packages no one else still needs are removed.
import type { Damage } from '../facts/damage.js';
import type { BundledUnit, PackageRef } from '../facts/repair-bundles.js';
import type { RepairFacts, RepairPython, SiteOwner } from '../facts/repair-facts.js';
import type { DistFacts } from '../facts/site-probe.js';
import { normalizeName } from '../pip-cli/requirement.js';

// How the packages of a site directory are removed: as this user, as its owner (root switches
// with setpriv; anyone else asks sudo), or not at all.
export type RemovalAs =
  | { as: 'self' }
  | { as: 'owner'; user: string; uid: number; gid: number; via: 'setpriv' | 'sudo' }
  | { as: 'none'; why: string };

export interface RepairInput extends RepairFacts {
  // Normalised names (--only); undefined: every package.
  only?: readonly string[];
}

export type Action = 'pipx' | 'venv' | 'along' | 'distribution' | 'stay';

export interface PackagePlan extends PackageRef {
  action: Action;
  reason?: string;
  venv?: string;
  // pipx and venv: what is installed with it ("name version"); along: whose homes it goes into.
  with: string[];
  along: string[];
  // pipx: the app's venv sees the distribution's packages (for what only they provide).
  systemSite?: boolean;
  // The home has this version of it already: it is not installed again.
  had?: string;
  // The files removed (its RECORD's), none when it stays.
  removes: string[];
  removal?: RemovalAs;
}

export type Unit = BundledUnit;

export interface RepairPlan {
  packages: PackagePlan[];
  units: Unit[];
}

interface Node {
  damage: Damage;
  py: RepairPython;
  facts?: DistFacts;
  key: string;
  deps: string[];
  // Requirements met by what pip did not install.
  systemNeeds: string[];
}

// The packages named by --only that pip did not put into any of these Pythons.
export function unknownNames(only: readonly string[], pythons: readonly RepairPython[]): string[] {
  const known = new Set(pythons.flatMap((py) => py.damage.map((d) => normalizeName(d.name))));
  return only.filter((name) => !known.has(name));
}

// How to remove from a directory that `owner` owns, as `me` (sudo: whether there is one).
export function removalAs(owner: SiteOwner, me: number, sudo: boolean): RemovalAs {
  if (owner.uid === me) return { as: 'self' };
  if (me === 0) return { as: 'owner', ...owner, via: 'setpriv' };
  if (owner.uid !== 0)
    return { as: 'none', why: `it belongs to ${owner.user}: run pip-guard repair as ${owner.user}` };
  if (!sudo)
    return { as: 'none', why: 'it belongs to root, and there is no sudo: run pip-guard repair as root' };
  return { as: 'owner', ...owner, via: 'sudo' };
}

// How each site directory's packages are removed.
export const removalsOf = (facts: RepairFacts): Record<string, RemovalAs> =>
  Object.fromEntries(
    facts.pythons.flatMap((py) =>
      Object.entries(py.siteOwners).map(([site, owner]) => [site, removalAs(owner, facts.me, facts.sudo)]),
    ),
  );

const removalOf = (input: RepairInput, py: RepairPython, site: string): RemovalAs => {
  const owner = py.siteOwners[site];
  return owner ? removalAs(owner, input.me, input.sudo) : { as: 'self' };
};

function nodesOf(input: RepairInput): Map<string, Node> {
  const nodes = new Map<string, Node>();
  for (const py of input.pythons) {
    const dists = 'problem' in py.site ? [] : py.site.dists;
    for (const damage of py.damage) {
      const facts = dists.find((f) => f.distInfo === damage.distInfo);
      const reqs = facts?.requires ?? [];
      const deps = reqs.flatMap((r) => (r.met?.damaged ? [r.met.distInfo] : []));
      const systemNeeds = reqs.flatMap((r) => (r.met && !r.met.damaged ? [r.spec] : []));
      nodes.set(damage.distInfo, { damage, py, facts, key: normalizeName(damage.name), deps, systemNeeds });
    }
  }
  return nodes;
}

// The node and everything it needs that pip installed too, itself first.
function closure(nodes: Map<string, Node>, id: string): string[] {
  const seen = [id];
  for (let i = 0; i < seen.length; i++)
    for (const dep of nodes.get(seen[i] as string)?.deps ?? []) if (!seen.includes(dep)) seen.push(dep);
  return seen;
}

const label = (n: Node) => `${n.damage.name} ${n.damage.version}`;

// Why a package cannot leave at all, from its own facts.
function blockOf(n: Node, input: RepairInput): string | undefined {
  const { facts, py, damage } = n;
  if ('problem' in py.site) return py.site.problem;
  if (!facts) return `pip-guard could not read its metadata on ${py.python}`;
  if (facts.problem) return facts.problem;
  const removal = removalOf(input, py, damage.siteDir);
  if (removal.as === 'none') return `${damage.siteDir} ${removal.why.replace(/^it /, '')}`;
  if ('problem' in input.owners)
    return `pip-guard cannot check which of its files are the distribution's: ${input.owners.problem}`;
  const owners = input.owners.owners;
  const owned = facts.files.find((file) => owners.has(file));
  if (owned) return `its RECORD lists ${owned}, which the distribution's package ${owners.get(owned)} owns`;
  if (facts.shadowedBy)
    return `another copy of it, ${facts.shadowedBy}, comes first on ${py.python}'s path, and pip uninstall would remove that one`;
  if (facts.requires === null) return `pip-guard cannot read its requirements on ${py.python}`;
  for (const r of facts.requires) {
    if (!r.met) return `it needs ${r.spec}, which is not installed, and pip-guard cannot fetch it offline`;
    if (!r.met.ok) return `it needs ${r.spec}, but ${r.met.version} is installed`;
  }
  if (
    damage.kind === 'pip' &&
    !damage.owner &&
    !('problem' in py.site ? [] : (py.site.copies.pip ?? [])).length
  )
    return `it is the only pip for ${py.python}: install the distribution's (Debian and Ubuntu: \`sudo apt install python3-pip\`), then run pip-guard repair again`;
  if (damage.kind === 'app' && !input.pipx.path)
    return 'pipx is not on PATH: install it (Debian and Ubuntu: `sudo apt install pipx`), then run pip-guard repair again';
  return undefined;
}

// Why it cannot go to a home with what it needs (a wheel that cannot be rebuilt, a requirement
// only the distribution meets where the venv cannot see the distribution's packages).
function homeBlockOf(n: Node, nodes: Map<string, Node>, blocks: Map<string, string | undefined>) {
  const members = closure(nodes, n.damage.distInfo);
  for (const id of members.slice(1)) {
    const dep = nodes.get(id) as Node;
    if (!dep.facts || dep.facts.problem || dep.facts.requires === null)
      return `it needs ${label(dep)}, which pip-guard cannot rebuild: ${dep.facts?.problem ?? blocks.get(id)}`;
  }
  const needs = members.flatMap((id) => nodes.get(id)?.systemNeeds ?? []);
  if (n.damage.kind === 'library' && needs.length > 0 && !n.py.venv.systemSite)
    return `it needs ${needs.join(', ')}, which only the distribution provides here, and ${n.py.venv.path} cannot have it offline`;
  return undefined;
}

// Every package's dependents among the damaged ones, by id.
function dependentsOf(nodes: Map<string, Node>): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const [id, n] of nodes) for (const dep of n.deps) found.set(dep, [...(found.get(dep) ?? []), id]);
  return found;
}

interface Decided {
  moving: Set<string>;
  removed: Set<string>;
  why: Map<string, string>;
}

// Which packages leave the system: those that can move, less (repeatedly) those that something
// staying needs.
function decide(input: RepairInput, nodes: Map<string, Node>, selected: Set<string>): Decided {
  const why = new Map<string, string>();
  const blocks = new Map([...nodes].map(([id, n]) => [id, blockOf(n, input)]));
  const dependents = dependentsOf(nodes);
  const moving = new Set<string>();
  for (const [id, n] of nodes) {
    const reason = blocks.get(id) ?? homeBlockOf(n, nodes, blocks);
    if (reason) why.set(id, reason);
    else if (selected.has(id)) moving.add(id);
  }
  const ownHome = (id: string) => {
    const n = nodes.get(id) as Node;
    return n.damage.kind !== 'library' || n.facts?.requested || !(dependents.get(id) ?? []).length;
  };
  // Why a package stays for another: one that needs it stays in place, or is not among --only.
  const needed = (other: string) =>
    `${label(nodes.get(other) as Node)}, which ${selected.has(other) ? 'stays in place' : 'is not among --only'}, needs it`;
  const removed = new Set<string>();
  for (const id of moving) {
    const users = dependents.get(id) ?? [];
    if (ownHome(id) || users.some((d) => moving.has(d))) removed.add(id);
    else why.set(id, needed(users[0] as string));
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of removed) {
      const n = nodes.get(id) as Node;
      const staying = (dependents.get(id) ?? []).find((d) => !removed.has(d));
      const system = 'problem' in n.py.site ? [] : (n.py.site.systemDependents[n.key] ?? []);
      const hidden = 'problem' in n.py.site ? [] : (n.py.site.copies[n.key] ?? []);
      let reason: string | undefined;
      if (staying) reason = needed(staying);
      else if (system.length > 0 && hidden.length === 0)
        reason = `the distribution's ${system.join(', ')} ${system.length > 1 ? 'need' : 'needs'} it`;
      if (reason) {
        removed.delete(id);
        why.set(id, reason);
        changed = true;
      }
    }
  }
  return { moving, removed, why };
}

// Apps first, then libraries, then pip itself (which runs the removals), each in scan order.
const ORDER = { app: 0, library: 1, pip: 2 } as const;

function unitsOf(nodes: Map<string, Node>, decided: Decided, input: RepairInput): Unit[] {
  const dependents = dependentsOf(nodes);
  const leads = [...decided.removed].filter((id) => {
    const n = nodes.get(id) as Node;
    const carried = (dependents.get(id) ?? []).some((d) => decided.removed.has(d));
    return n.damage.kind !== 'library' || n.facts?.requested || !carried;
  });
  leads.sort((a, b) => ORDER[(nodes.get(a) as Node).damage.kind] - ORDER[(nodes.get(b) as Node).damage.kind]);
  const units = leads.map((id): Unit => {
    const n = nodes.get(id) as Node;
    const install = n.damage.kind === 'pip' ? [] : closure(nodes, id);
    const to = n.damage.kind === 'pip' ? 'distribution' : n.damage.kind === 'app' ? 'pipx' : 'venv';
    const had =
      to === 'pipx' ? input.pipx.apps.get(n.key)?.version : to === 'venv' ? n.py.venv.has[n.key] : undefined;
    const systemSite = to === 'pipx' && install.some((m) => (nodes.get(m)?.systemNeeds ?? []).length > 0);
    const venv = to === 'venv' ? n.py.venv.path : undefined;
    return { lead: id, python: n.py.python, to, venv, install, had, systemSite, remove: [] };
  });
  // Each package leaves with the last home that takes it (its own, or its dependents').
  for (const id of decided.removed) {
    const last = [...units].reverse().find((u) => u.lead === id || u.install.includes(id));
    last?.remove.push(id);
  }
  return units;
}

function packagePlan(
  n: Node,
  units: Unit[],
  decided: Decided,
  nodes: Map<string, Node>,
  input: RepairInput,
): PackagePlan {
  const id = n.damage.distInfo;
  const { name, version, kind, python, siteDir } = n.damage;
  const base = { id, name, version, kind, python, siteDir, with: [], along: [], removes: [] };
  if (!decided.removed.has(id)) return { ...base, action: 'stay', reason: decided.why.get(id) };
  const removes = n.facts?.files ?? [];
  const removal = removalOf(input, n.py, siteDir);
  const own = units.find((u) => u.lead === id);
  if (!own) {
    const along = units
      .filter((u) => u.install.includes(id))
      .map((u) => (nodes.get(u.lead) as Node).damage.name);
    return { ...base, action: 'along', along, removes, removal };
  }
  const withIt = own.install.slice(1).map((m) => label(nodes.get(m) as Node));
  const action = own.to === 'distribution' ? 'distribution' : own.to;
  const extra = {
    ...(own.venv ? { venv: own.venv } : {}),
    ...(own.systemSite ? { systemSite: true } : {}),
    ...(own.had ? { had: own.had } : {}),
  };
  return { ...base, action, with: withIt, ...extra, removes, removal };
}

// The plan for every damaged package of `input` (those --only names, and what they need).
export function planRepair(input: RepairInput): RepairPlan {
  const nodes = nodesOf(input);
  const named = [...nodes.keys()].filter(
    (id) => !input.only || input.only.includes((nodes.get(id) as Node).key),
  );
  const selected = new Set(named.flatMap((id) => closure(nodes, id)));
  const decided = decide(input, nodes, selected);
  const units = unitsOf(nodes, decided, input);
  const packages = [...nodes.values()]
    .filter((n) => selected.has(n.damage.distInfo))
    .map((n) => packagePlan(n, units, decided, nodes, input));
  return { packages, units };
}
