// A distribution's entry_points.txt (the packaging spec's INI form, as pip and pipx read it): the
// scripts it declares, by section, each with its module:function. Pure: the text is the caller's.

export interface EntryPoint {
  section: string;
  name: string;
  value: string;
}

// Every entry of every section, comments and blank lines passed over.
export function entryPoints(text: string): EntryPoint[] {
  const entries: EntryPoint[] = [];
  let section = '';
  for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
    const header = /^\[(.+)\]$/.exec(line)?.[1];
    if (header !== undefined) section = header.trim();
    else if (line && !line.startsWith('#') && !line.startsWith(';') && line.includes('=')) {
      const at = line.indexOf('=');
      const name = line.slice(0, at).trim();
      if (name) entries.push({ section, name, value: line.slice(at + 1).trim() });
    }
  }
  return entries;
}

// The commands it installs ([console_scripts], and with `gui` [gui_scripts] too).
export const scriptEntries = (text: string, gui = false) =>
  entryPoints(text).filter((e) => e.section === 'console_scripts' || (gui && e.section === 'gui_scripts'));
