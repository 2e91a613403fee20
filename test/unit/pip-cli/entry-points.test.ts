import { describe, expect, it } from 'vitest';
import { entryPoints, scriptEntries } from '../../../src/pip-cli/entry-points.js';

const TEXT = [
  '[console_scripts]',
  'black = black:patched_main',
  '# a comment',
  'blackd = blackd:patched_main [d]',
  '',
  '[gui_scripts]',
  'black-gui=black.gui:main',
  '',
  '[pip.plugins]',
  '; another comment',
  'x = y:z',
].join('\r\n');

describe('entry_points.txt', () => {
  it('reads every entry of every section, passing over comments and blank lines', () => {
    expect(entryPoints(TEXT)).toEqual([
      { section: 'console_scripts', name: 'black', value: 'black:patched_main' },
      { section: 'console_scripts', name: 'blackd', value: 'blackd:patched_main [d]' },
      { section: 'gui_scripts', name: 'black-gui', value: 'black.gui:main' },
      { section: 'pip.plugins', name: 'x', value: 'y:z' },
    ]);
  });

  it('names the commands a distribution installs, GUI ones where asked', () => {
    expect(scriptEntries(TEXT).map((e) => e.name)).toEqual(['black', 'blackd']);
    expect(scriptEntries(TEXT, true).map((e) => e.name)).toEqual(['black', 'blackd', 'black-gui']);
    expect(scriptEntries('[console_scripts]\n')).toEqual([]);
  });
});
