// A `pip uninstall` routed to pip-guard's venv of names that only the system's environment has
// (facts/system-only.ts): they are left out, and the command ends as pip's own refusal would,
// with exit 1 and a paragraph, rather than pip's "Skipping …" and exit 0.
import type { SystemOnly } from '../facts/system-only.js';
import type { Facts } from '../plan.js';

const list = (words: readonly string[]) =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;

// The names of `facts.systemOnly` that this plan would otherwise have run pip with.
export const systemOnlyOf = (facts: Facts, dropped: readonly number[]) =>
  (facts.systemOnly ?? []).filter((found) => !dropped.includes(found.argIndex));

// pip uninstall, routed to pip-guard's venv, of packages that only the system has.
export function systemOnlyMessage(venv: string, python: string, found: readonly SystemOnly[]): string {
  const each = found.map(
    (p) => `${p.name} (${p.path}${p.owner ? `, from the Debian package ${p.owner}` : ''})`,
  );
  const owners = [...new Set(found.flatMap((p) => p.owner ?? []))];
  const fix =
    owners.length > 0
      ? `; to remove ${found.length === 1 ? 'it' : 'them'} from the system, \`sudo apt remove ${owners.join(' ')}\``
      : '';
  return (
    `${list(found.map((p) => p.name))} ${found.length === 1 ? 'is' : 'are'} not installed in ${venv}, where pip-guard ` +
    `installs; only ${python}'s own environment has ${found.length === 1 ? 'it' : 'them'}: ${list(each)}. ` +
    `That environment belongs to the system, and pip-guard does not uninstall its packages, so ${found.length === 1 ? 'it was' : 'they were'} left as ${found.length === 1 ? 'it is' : 'they are'}${fix}.`
  );
}
