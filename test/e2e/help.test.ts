// pip-guard's own help and completion, as the single executable answers them.
import { describe, expect, it } from 'vitest';
import { sandbox } from './harness.js';

const COMMANDS = [
  'setup',
  'teardown',
  'explain',
  'config',
  'trust',
  'untrust',
  'which',
  'doctor',
  'repair',
  'init',
  'completion',
  'self-update',
];

describe('--help', () => {
  it('lists every command, and each command has examples', async () => {
    const box = sandbox();
    const top = await box.pipGuard(['--help']);
    expect(top.exitCode).toBe(0);
    for (const name of COMMANDS) expect(top.stdout).toMatch(new RegExp(`^  pip-guard ${name}\\b`, 'm'));
    for (const name of COMMANDS) {
      const help = await box.pipGuard([name, '--help']);
      expect({ name, exitCode: help.exitCode }).toEqual({ name, exitCode: 0 });
      expect(help.stdout).toMatch(/\nExamples:\n {2}(sudo |eval "\$\(|source <\()?pip-guard /);
    }
  });
});

describe('pip-guard completion', () => {
  it('bash: the script completes commands, options and choices through the binary', async () => {
    const box = sandbox();
    const complete = (words: string[]) =>
      box.run('/bin/bash', [
        '--norc',
        '-c',
        'source <(pip-guard completion bash); COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pip-guard_yargs_completions; printf "%s\\n" "$' +
          '{COMPREPLY[@]}"',
        'bash',
        ...words,
      ]);
    expect((await complete(['pip-guard', 'se'])).stdout).toBe('setup\nself-update\n');
    expect((await complete(['pip-guard', 't'])).stdout).toBe('teardown\ntrust\n');
    expect((await complete(['pip-guard', 'setup', '--mo'])).stdout).toBe('--modify-path\n');
    expect((await complete(['pip-guard', 'init', ''])).stdout).toContain('bash\nzsh\nfish\n');
    expect((await complete(['pip-guard', 'completion', 'z'])).stdout).toBe('zsh\n');
  });

  it('zsh: the script registers with compdef and offers commands with their descriptions', async () => {
    const box = sandbox();
    const script = [
      // compinit's compdef and _describe (which would filter by the word typed), reduced to
      // what shows the answer.
      'compdef() { print -r -- "compdef $*" }',
      '_describe() { print -rl -- $reply }',
      'source <(pip-guard completion zsh)',
      'words=(pip-guard in) CURRENT=2 BUFFER="pip-guard in" CURSOR=12',
      '_pip-guard_yargs_completions',
    ].join('\n');
    const result = await box.run('/usr/bin/zsh', ['-f', '-c', script], { env: { SHELL: '/usr/bin/zsh' } });
    const [registered, ...offered] = result.stdout.trimEnd().split('\n');
    expect(registered).toBe('compdef _pip-guard_yargs_completions pip-guard');
    expect(offered).toHaveLength(14);
    expect(offered).toContain(
      "run:Run a command with this directory's venv active (its python3, its scripts, pipx's apps)",
    );
    expect(offered).toContain(
      'init:Print shell functions that send `python3 -m pip` through pip-guard (for your rc file)',
    );
    expect(offered).toContain('completion:Print a completion script for bash or zsh');
    const first = await box.pipGuard(['completion'], { env: { SHELL: '/usr/bin/zsh' } });
    expect(first.stdout.startsWith('#compdef pip-guard\n')).toBe(true);
  });
});
