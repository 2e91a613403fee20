// Reads pip's command line the way pip's optparse parsers do (pip/_internal/cli/main_parser.py):
// general options up to the first word, which names the command; then the whole line again,
// minus that word, with the command's parser (general + command options, interspersed).
import { COMMAND_OPTIONS, COMMANDS, GLOBAL_OPTIONS, type OptionRow } from './options.js';

export interface ParsedOption {
  // The option's full name as pip resolves it ('--break-system-packages' for '--break-sys').
  name: string;
  dest: string;
  action: string;
  value?: string;
  // The argv positions it occupies (its own token, and its value's when separate),
  // so it can be dropped when the command runs elsewhere.
  indexes: number[];
}

export interface PipCommandLine {
  argv: readonly string[];
  command?: string;
  // What pip's main parser saw: the general options before the command (where --python counts).
  leading: ParsedOption[];
  // What the command's parser saw: every option, before and after the command.
  options: ParsedOption[];
  // Positional arguments after the command (requirements, package names), and where they are.
  args: string[];
  argIndexes: number[];
  // Set when pip-guard cannot be sure how pip reads the line: pip then decides for itself.
  problem?: string;
}

type Table = Readonly<Record<string, OptionRow>>;

interface Parsed {
  options: ParsedOption[];
  args: string[];
  argIndexes: number[];
  stop?: number;
  problem?: string;
}

// optparse's _match_abbrev: an exact name, else the one option the prefix starts.
function matchLong(table: Table, name: string): string | { problem: string } {
  if (table[name]) return name;
  const candidates = Object.keys(table).filter((known) => known.startsWith('--') && known.startsWith(name));
  if (candidates.length === 1) return candidates[0] as string;
  return candidates.length === 0
    ? { problem: `pip-guard does not know the option ${name}` }
    : { problem: `${name} could be any of ${candidates.join(', ')}` };
}

// One optparse pass over the tokens at `indexes`; with interspersed off it stops at the first word.
function scan(argv: readonly string[], indexes: number[], table: Table, interspersed: boolean): Parsed {
  const out: Parsed = { options: [], args: [], argIndexes: [] };
  for (let k = 0; k < indexes.length; k++) {
    const index = indexes[k] as number;
    const token = argv[index] as string;
    const taken = [index];
    const next = () => {
      if (k + 1 >= indexes.length) return undefined;
      const at = indexes[++k] as number;
      taken.push(at);
      return argv[at];
    };
    if (token === '--') {
      out.argIndexes.push(...indexes.slice(k + 1));
      out.args.push(...indexes.slice(k + 1).map((i) => argv[i] as string));
      if (!interspersed && k + 1 < indexes.length) out.stop = indexes[k + 1];
      return out;
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const match = matchLong(table, eq === -1 ? token : token.slice(0, eq));
      if (typeof match !== 'string') return { ...out, problem: match.problem };
      const [dest, action, takesValue] = table[match] as OptionRow;
      if (!takesValue && eq !== -1) return { ...out, problem: `${match} does not take a value` };
      const value = !takesValue ? undefined : eq !== -1 ? token.slice(eq + 1) : next();
      if (takesValue && value === undefined) return { ...out, problem: `${match} needs a value` };
      out.options.push({ name: match, dest, action, value, indexes: taken });
    } else if (token.startsWith('-') && token !== '-') {
      // Short flags combine (-qq, -Uq); the first one that takes a value takes the rest (-tDIR).
      for (let j = 1; j < token.length; j++) {
        const name = `-${token[j]}`;
        const row = table[name];
        if (!row) return { ...out, problem: `pip-guard does not know the option ${name}` };
        const [dest, action, takesValue] = row;
        if (!takesValue) {
          out.options.push({ name, dest, action, indexes: [index] });
          continue;
        }
        const value = j + 1 < token.length ? token.slice(j + 1) : next();
        if (value === undefined) return { ...out, problem: `${name} needs a value` };
        out.options.push({ name, dest, action, value, indexes: taken });
        break;
      }
    } else if (interspersed) {
      out.args.push(token);
      out.argIndexes.push(index);
    } else {
      out.stop = index;
      return out;
    }
  }
  return out;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// Parses a pip command line. Commands pip-guard never acts on are only named, not parsed.
export function parsePipArgs(argv: readonly string[]): PipCommandLine {
  const general = scan(argv, range(argv.length), GLOBAL_OPTIONS, false);
  const base = { argv, leading: general.options, options: general.options, args: [], argIndexes: [] };
  if (general.problem) return { ...base, problem: general.problem };
  if (general.stop === undefined) return base;
  const command = argv[general.stop] as string;
  const own = COMMAND_OPTIONS[command];
  if (!COMMANDS.includes(command)) return { ...base, command, problem: `pip has no command "${command}"` };
  if (!own) return { ...base, command };
  // pip re-parses every argument but the first one equal to the command's name (cmd_args.remove).
  const removed = argv.indexOf(command);
  const rest = range(argv.length).filter((i) => i !== removed);
  const full = scan(argv, rest, { ...GLOBAL_OPTIONS, ...own }, true);
  return {
    ...base,
    command,
    options: full.options,
    args: full.args,
    argIndexes: full.argIndexes,
    problem: full.problem,
  };
}

// argv without the tokens of the options whose dest is listed, and without the positional
// arguments at `args` (for running the same command elsewhere, or for some packages only).
export const withoutOptions = (
  line: PipCommandLine,
  dests: readonly string[],
  args: readonly number[] = [],
) => keptIndexes(line, dests, args).map((i) => line.argv[i] as string);

// The positions in argv that withoutOptions keeps.
export function keptIndexes(
  line: PipCommandLine,
  dests: readonly string[],
  args: readonly number[] = [],
): number[] {
  const drop = new Set<number>(args);
  for (const option of line.options) {
    if (!dests.includes(option.dest)) continue;
    const token = line.argv[option.indexes[0] as number] as string;
    // A short flag combined with others (-Uq) stays: none of the dropped options has a short form.
    if (!token.startsWith('--') && token.length > 2) continue;
    for (const index of option.indexes) drop.add(index);
  }
  return line.argv.flatMap((_, i) => (drop.has(i) ? [] : [i]));
}

// argv with `words` right after the command (not after a `--`, where they would be arguments).
export function afterCommand(argv: readonly string[], command: string, words: readonly string[]): string[] {
  const at = argv.indexOf(command);
  return [...argv.slice(0, at + 1), ...words, ...argv.slice(at + 1)];
}
