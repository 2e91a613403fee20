// A console script's first lines: how pip writes them for a Python's path, and how pip-guard
// reads that Python back. pip's rule (pip/_vendor/distlib/scripts.py: enquote_executable and
// ScriptMaker._build_shebang, the same in pip 23.0.1, 24.2 and pip's main): `#!PYTHON` when the
// path has no space and the line fits in 127 bytes; else a file that sh runs first and hands to
// PYTHON, and that Python reads as a string:
//   #!/bin/sh
//   '''exec' "/home/me/my proj/.venv/bin/python3" "$0" "$@"
//   ' '''
// the path in "…" for a space, bare for a long path. Where pip's scripts then do not run,
// pip-guard goes further: a tab or a newline takes the second form too (Linux ends the
// interpreter's name at a tab and the line at a newline, binfmt_script.c), and a path that "…"
// would change ($, `, \, ") or that Python would misread (') is quoted so that both read it back.
import { readHead } from './path-search.js';

// distlib's max_shebang_length off macOS, with '#!' and the newline.
const MAX_SHEBANG = 127;

// Characters sh takes for something else in a bare word.
const SH_SPECIAL = /[\s"'\\$`|&;<>()*?[\]{}~#]/;

// PATH as one sh word inside the trampoline line: as distlib writes it where that reads back,
// else in '…' runs, with ' and \ in "…" (Python reads "\\" as one backslash, as sh does).
export function shWord(path: string): string {
  if (!SH_SPECIAL.test(path)) return path;
  if (!/["'\\$`]/.test(path)) return `"${path}"`;
  return path
    .split(/(['\\])/)
    .filter(Boolean)
    .map((part) => (part === "'" ? `"'"` : part === '\\' ? '"\\\\"' : `'${part}'`))
    .join('');
}

// The first lines of a console script that runs `python` (without the newline after them).
export function scriptHead(python: string): string {
  if (!/[ \t\n]/.test(python) && Buffer.byteLength(python) + 3 <= MAX_SHEBANG) return `#!${python}`;
  return `#!/bin/sh\n'''exec' ${shWord(python)} "$0" "$@"\n' '''`;
}

// Reads one sh word at `text[start]` (bare characters, '…', "…" with its backslashes), as sh
// would; undefined where it does not end within `text`.
function readShWord(text: string, start: number): { word: string; end: number } | undefined {
  let word = '';
  let i = start;
  while (i < text.length && !/[ \t\n]/.test(text[i] as string)) {
    const c = text[i] as string;
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return undefined;
      word += text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      for (i++; text[i] !== '"'; ) {
        if (i >= text.length) return undefined;
        const escaped = text[i] === '\\' && /[$`"\\\n]/.test(text[i + 1] ?? '');
        // A backslash-newline joins lines; the other escapes stand for the character.
        if (!escaped) word += text[i];
        else if (text[i + 1] !== '\n') word += text[i + 1];
        i += escaped ? 2 : 1;
      }
      i++;
    } else if (c === '\\') {
      if (text[i + 1] !== '\n') word += text[i + 1] ?? '';
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  return word ? { word, end: i } : undefined;
}

// The trampoline's Python and where its line ends, when the head is distlib's sh form.
function trampoline(head: string): { python: string; end: number } | undefined {
  const first = head.indexOf('\n');
  const lead = "'''exec' ";
  if (first === -1 || !head.startsWith(lead, first + 1)) return undefined;
  const read = readShWord(head, first + 1 + lead.length);
  const tail = ' "$0" "$@"\n';
  if (!read || !head.startsWith(tail, read.end)) return undefined;
  return { python: read.word, end: read.end + tail.length - 1 };
}

// The Python that distlib's sh form hands the script to, if `head` has that form.
export const trampolinePython = (head: string) => trampoline(head)?.python;

// The lines of `head` that say which program runs the script: the #! line, and for distlib's sh
// form the trampoline too (more than one line where the path holds a newline).
export function headLines(head: string): string[] {
  const end = trampoline(head)?.end ?? head.indexOf('\n');
  return head.slice(0, end === -1 ? undefined : end).split('\n');
}

// The start of a script as text (a path is UTF-8): enough for the longest path on its trampoline.
export const readScriptHead = (file: string) => readHead(file, 8192, 'utf8');
