// What doctor says of the damage already done (facts/damage.ts finds it): each package that pip
// put into an externally-managed Python, with its fix: `pip-guard repair`, or the commands by hand.
import type { Damage, SiteScan } from '../facts/damage.js';
import { type Finding, note, ok, problem } from './finding.js';

// What repair does with a package, and the same by hand. `left`: why repair leaves it in place,
// when it does (then only the way by hand is a fix).
function fixFor(d: Damage, left: string | undefined): string {
  const byHand =
    d.kind === 'pip'
      ? `remove it: \`${d.remove}\`; then restore the distribution's pip: ${
          d.owner
            ? `\`${d.home}\` (the Debian package that owns it)`
            : `reinstall the package of your distribution that provides pip for ${d.python} (Debian and Ubuntu: \`${d.home}\`)`
        }`
      : d.kind === 'app'
        ? `give it a home of its own: \`${d.home}\` (it is a command-line app); then remove it from the system: \`${d.remove}\``
        : `give it a home of its own: \`${d.home}\` in the project that needs it (pip-guard puts it in the project's venv); ` +
          `then remove it from the system: \`${d.remove}\``;
  if (left) return `by hand: ${byHand}`;
  const repair = {
    app: 'moves it to pipx and off the system',
    library: "moves it into pip-guard's default venv and off the system",
    pip: "takes it off the system, so that the distribution's pip is used again",
  }[d.kind];
  return `\`pip-guard repair\` ${repair}, offline, and keeps a bundle that restores it (a dry run first; --yes carries it out); or ${byHand}`;
}

function damageFinding(d: Damage, left: string | undefined): Finding {
  const how =
    d.kind === 'pip'
      ? '`sudo pip install --upgrade pip` or --break-system-packages'
      : '`sudo pip install` or --break-system-packages';
  const replaced = d.kind === 'pip' ? `: it replaced the distribution's own pip for ${d.python}` : '';
  const why = left ? `; \`pip-guard repair\` leaves it in place: ${left}` : '';
  return problem(
    `${d.name} ${d.version} in ${d.siteDir} was installed by pip (${how}), not by the distribution${replaced}${why}`,
    fixFor(d, left),
  );
}

// The damage section. `left`: .dist-info → why `pip-guard repair` left that package in place.
export function damageFindings(
  { scans, damage }: { scans: SiteScan[]; damage: Damage[] },
  left: ReadonlyMap<string, string> = new Map(),
): Finding[] {
  if (scans.length === 0)
    return [note('no externally-managed Python among the pips on PATH: nothing to check')];
  const clean = scans
    .filter((scan) => scan.problem || !damage.some((d) => d.python === scan.python))
    .map((scan) =>
      scan.problem
        ? note(`could not check ${scan.python}: ${scan.problem}`)
        : ok(
            `nothing that pip installed in ${scan.python}'s site directories (${scan.siteDirs.join(', ') || 'none'})`,
          ),
    );
  return [...clean, ...damage.map((d) => damageFinding(d, left.get(d.distInfo)))];
}
