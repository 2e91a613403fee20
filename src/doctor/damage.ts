// What doctor says of the damage already done (facts/damage.ts finds it): each package that pip
// put into an externally-managed Python, with its fix.
import type { Damage, SiteScan } from '../facts/damage.js';
import { type Finding, note, ok, problem } from './finding.js';

// pip's own pip over the distribution's (`sudo pip install --upgrade pip`): pipx is no home for
// it; the distribution's package is, once this one is gone.
function replacedPip(d: Damage): Finding {
  const restore = d.owner
    ? `\`${d.home}\` (the Debian package that owns it)`
    : `reinstall the package of your distribution that provides pip for ${d.python} (Debian and Ubuntu: \`${d.home}\`)`;
  return problem(
    `pip ${d.version} in ${d.siteDir} was installed by pip (\`sudo pip install --upgrade pip\` or --break-system-packages), not by the distribution: ` +
      `it replaced the distribution's own pip for ${d.python}`,
    `remove it: \`${d.remove}\`; then restore the distribution's pip: ${restore}`,
  );
}

export function damageFindings({ scans, damage }: { scans: SiteScan[]; damage: Damage[] }): Finding[] {
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
  const found = damage.map((d) => {
    if (d.kind === 'pip') return replacedPip(d);
    const home =
      d.kind === 'app'
        ? `\`${d.home}\` (it is a command-line app)`
        : `\`${d.home}\` in the project that needs it (pip-guard puts it in the project's venv)`;
    return problem(
      `${d.name} ${d.version} in ${d.siteDir} was installed by pip (\`sudo pip install\` or --break-system-packages), not by the distribution`,
      `give it a home of its own: ${home}; then remove it from the system: \`${d.remove}\``,
    );
  });
  return [...clean, ...found];
}
