import { describe, expect, it } from 'vitest';
import {
  findBlock,
  hasInitLine,
  initLine,
  insertionFor,
  pathLine,
  pipxPathLine,
  rcTarget,
  renderBlock,
  type Shell,
  withoutBlock,
} from '../../../src/install/rc-file.js';

const env = { HOME: '/home/me', XDG_CONFIG_HOME: '/home/me/.config' };

describe('rcTarget', () => {
  it.each([
    ['/bin/bash', {}, 'bash', '/home/me/.bashrc'],
    ['/usr/bin/zsh', {}, 'zsh', '/home/me/.zshrc'],
    ['/usr/bin/zsh', { ZDOTDIR: '/home/me/.zsh' }, 'zsh', '/home/me/.zsh/.zshrc'],
    ['/usr/bin/fish', {}, 'fish', '/home/me/.config/fish/conf.d/pip-guard.fish'],
    ['/usr/bin/fish', { XDG_CONFIG_HOME: '/cfg' }, 'fish', '/cfg/fish/conf.d/pip-guard.fish'],
    ['/bin/dash', {}, 'sh', '/home/me/.profile'],
    [undefined, {}, 'sh', '/home/me/.profile'],
  ])('SHELL=%s %o reads its %s rc file %s', (SHELL, extra, shell, file) => {
    expect(rcTarget({ ...env, SHELL, ...extra })).toEqual({ shell, file });
  });
});

describe('pathLine', () => {
  it.each<[Shell, string, string]>([
    ['bash', '/home/me/.local/share/pip-guard/bin', 'export PATH="$HOME/.local/share/pip-guard/bin:$PATH"'],
    ['sh', '/opt/pip guard/bin', 'export PATH="/opt/pip guard/bin:$PATH"'],
    ['zsh', '/home/me/a$b"c`d\\e', 'export PATH="$HOME/a\\$b\\"c\\`d\\\\e:$PATH"'],
    [
      'fish',
      '/home/me/.local/share/pip-guard/bin',
      'fish_add_path --path --move "$HOME/.local/share/pip-guard/bin"',
    ],
    ['fish', '/home/me/a$b"c`d', 'fish_add_path --path --move "$HOME/a\\$b\\"c`d"'],
    ['bash', '/home/meme/bin', 'export PATH="/home/meme/bin:$PATH"'],
  ])('%s: %s → %s', (shell, dir, line) => {
    expect(pathLine(shell, dir, env)).toBe(line);
  });
});

describe('initLine', () => {
  it.each<[Shell, string | undefined]>([
    ['bash', 'eval "$(pip-guard init bash)"'],
    ['zsh', 'eval "$(pip-guard init zsh)"'],
    ['fish', 'status is-interactive; and pip-guard init fish | source'],
    ['sh', undefined],
  ])('%s: %s', (shell, line) => {
    expect(initLine(shell)).toBe(line);
    if (line) expect(hasInitLine(renderBlock(['export PATH="/x:$PATH"', line]))).toBe(true);
  });

  it('is not found in a block with the PATH line only', () => {
    expect(hasInitLine(renderBlock(['export PATH="/x:$PATH"']))).toBe(false);
  });
});

describe('the block, added and taken out again', () => {
  const block = renderBlock(['export PATH="/x:$PATH"']);

  it('is one marked paragraph', () => {
    expect(block).toBe(
      '# >>> pip-guard >>>\n' +
        '# Added by `pip-guard setup --modify-path`; `pip-guard teardown` takes it out again.\n' +
        'export PATH="/x:$PATH"\n' +
        '# <<< pip-guard <<<\n',
    );
  });

  it.each([
    [undefined, block],
    ['', block],
    ['alias ll="ls -l"\n', `\n${block}`],
    ['alias ll="ls -l"', `\n\n${block}`],
    ['a\n\n\n', `\n${block}`],
  ])('after %j it appends %j, and taking that out gives the file back', (content, inserted) => {
    expect(insertionFor(content, block)).toBe(inserted);
    const after = (content ?? '') + inserted;
    expect(findBlock(after)).toEqual({ start: after.length - block.length, end: after.length });
    expect(withoutBlock(after, inserted)).toBe(content ?? '');
  });

  it('keeps what the user wrote after the block', () => {
    const inserted = insertionFor('a\n', block);
    expect(withoutBlock(`a\n${inserted}b\n`, inserted)).toBe('a\nb\n');
  });

  it('takes out an edited block from marker line to marker line, and says when none is left', () => {
    const edited = `a\n\n${block.replace('/x', '/y')}b\n`;
    expect(withoutBlock(edited, `\n${block}`)).toBe('a\n\nb\n');
    expect(withoutBlock('a\n# >>> pip-guard >>>\n', `\n${block}`)).toBeUndefined();
  });
});

describe('pipxPathLine and initLine', () => {
  it.each<[Shell, string]>([
    ['bash', 'case ":$PATH:" in *:"$HOME/.local/bin":*) ;; *) export PATH="$PATH:$HOME/.local/bin" ;; esac'],
    ['fish', 'fish_add_path --path --append "$HOME/.local/bin"'],
  ])("%s appends pipx's bin directory once: %s", (shell, line) => {
    expect(pipxPathLine(shell, '/home/me/.local/bin', env)).toBe(line);
  });

  it.each([
    ['bash', 'hook', 'eval "$(pip-guard init bash --activate)"'],
    ['fish', 'hook', 'status is-interactive; and pip-guard init fish --activate | source'],
    ['zsh', 'functions', 'eval "$(pip-guard init zsh)"'],
    ['sh', 'hook', undefined],
  ] as const)('%s, %s: %s', (shell, kind, line) => {
    expect(initLine(shell, kind)).toBe(line);
    if (line) expect(hasInitLine(line)).toBe(true);
  });
});
