// A word as a POSIX shell reads it back (and Python's shlex.split, which pipx uses for --pip-args).
export const shellQuote = (word: string) =>
  /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
