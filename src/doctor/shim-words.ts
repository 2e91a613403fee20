// Reading back the command a shim starts pip-guard with: the words renderShim wrote with
// shellQuote into the template's `exec @RUN@ --pip-guard-shim` line (shims/pip.sh).
export function shimWords(text: string): string[] | undefined {
  const line = /^\s*exec (.+) --pip-guard-shim "\$name" "\$real" "\$@"/m.exec(text)?.[1];
  // A word is bare characters, 'quoted' runs and \' escapes, side by side.
  const words = line?.match(/(?:'[^']*'|\\'|[^\s'\\]+)+/g);
  return words?.map((word) => word.replace(/'([^']*)'|\\'/g, (_, quoted?: string) => quoted ?? "'"));
}
