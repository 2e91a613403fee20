// What a pip-guard config file may say, checked with valibot; a problem becomes one paragraph
// naming the file, the key, the bad value and what is allowed.
import * as v from 'valibot';

import { NON_INTERACTIVE, PACKAGE_POLICIES, POLICIES } from './policies.js';

const name = v.pipe(v.string(), v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a package name'));

const ConfigSchema = v.strictObject({
  policy: v.optional(v.picklist(POLICIES)),
  venv: v.optional(
    v.strictObject({
      path: v.optional(v.pipe(v.string(), v.minLength(1, 'a non-empty path'))),
      route: v.optional(v.boolean()),
      activateDefault: v.optional(v.boolean()),
    }),
  ),
  pipx: v.optional(v.strictObject({ apps: v.optional(v.array(name)) })),
  packages: v.optional(v.record(name, v.picklist(PACKAGE_POLICIES))),
  nonInteractive: v.optional(v.picklist(NON_INTERACTIVE)),
  notice: v.optional(v.boolean()),
  allowBreakSystemPackages: v.optional(v.boolean()),
});

export type ConfigFile = v.InferOutput<typeof ConfigSchema>;

const KEYS = [
  'policy',
  'venv.path',
  'venv.route',
  'venv.activateDefault',
  'pipx.apps',
  'packages',
  'nonInteractive',
  'notice',
  'allowBreakSystemPackages',
];

// The known key closest to a misspelt one (at most two edits away).
function closest(key: string, known: readonly string[]): string | undefined {
  const distance = (a: string, b: string) => {
    const row = Array.from({ length: b.length + 1 }, (_, i) => i);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0] as number;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const here = row[j] as number;
        row[j] = Math.min(here + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = here;
      }
    }
    return row[b.length] as number;
  };
  const best = known
    .map((k) => [k, distance(key.toLowerCase(), k.toLowerCase())] as const)
    .sort((a, b) => a[1] - b[1])[0];
  return best && best[1] <= 2 ? best[0] : undefined;
}

const show = (value: unknown) =>
  typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));

// The allowed values or shape at a key path, for the message.
function allowed(path: string): string {
  const leaf = path.replace(/^packages\..*/, 'packages.<name>');
  const table: Record<string, string> = {
    policy: `one of ${POLICIES.join(', ')}`,
    nonInteractive: `one of ${NON_INTERACTIVE.join(', ')}`,
    'packages.<name>': `one of ${PACKAGE_POLICIES.join(', ')}`,
    packages: 'a table of package name = policy',
    'venv.path': 'a path relative to the project root, such as ".venv"',
    'venv.route': 'true or false',
    'venv.activateDefault': 'true or false',
    venv: 'a table with path, route and activateDefault',
    pipx: 'a table with apps',
    'pipx.apps': 'a list of package names',
    notice: 'true or false',
    allowBreakSystemPackages: 'true or false',
  };
  return table[leaf] ?? (/^pipx\.apps\.\d+$/.test(path) ? 'a package name' : 'a valid value');
}

// Checks one file's content; a string is the paragraph to show the user.
export function validateConfig(file: string, content: unknown): ConfigFile | string {
  if (content === null || typeof content !== 'object' || Array.isArray(content)) {
    return `${file} is not a table of settings (it holds ${show(content)}): write keys such as policy = "venv".`;
  }
  const result = v.safeParse(ConfigSchema, content);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const keys = (issue.path ?? []).map((item) => String(item.key));
  const path = keys.join('.');
  if (issue.expected === 'never') {
    const parent = keys.slice(0, -1).join('.');
    const siblings = KEYS.filter((k) => (parent ? k.startsWith(`${parent}.`) : true)).map((k) =>
      parent ? k.slice(parent.length + 1) : (k.split('.')[0] as string),
    );
    const known = [...new Set(siblings)];
    const guess = closest(keys.at(-1) as string, known);
    return (
      `${file}: unknown key "${path}"${guess ? ` (did you mean "${parent ? `${parent}.` : ''}${guess}"?)` : ''}. ` +
      `The keys pip-guard knows${parent ? ` under ${parent}` : ''} are: ${known.join(', ')}.`
    );
  }
  const value = keys.reduce<unknown>((node, key) => (node as Record<string, unknown>)?.[key], content);
  return `${file}: ${path || 'the file'} is ${show(value)}, which pip-guard cannot use: it must be ${allowed(path)}.`;
}
