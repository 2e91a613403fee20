// The H figures of `npm run bench`: what the prompt hook of `pip-guard init SHELL --activate`
// costs at each prompt, in bash, zsh and fish, inside a project (its venv active) and outside
// one, against the same shell running an empty function instead, side by side in one run; and
// how many processes it starts (strace -f, against the same baseline): the goal is none.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const PROMPTS = 2000;

const SHELLS = {
  bash: ['/bin/bash', '--norc', '--noprofile'],
  zsh: ['/usr/bin/zsh', '-f'],
  fish: ['/usr/bin/fish', '--no-config'],
};

// SHELL's script: the init code, then N prompts' worth of HOOK (the hook, or `:` for the yardstick).
function script(shell, init, hook, n) {
  if (shell === 'fish') return `source ${init}\nfor i in (seq ${n})\n${hook}\nend\n`;
  return `. ${init}\nfor i in $(seq ${n}); do ${hook}; done\n`;
}

const emptyCall = (shell) => (shell === 'fish' ? 'true' : ':');

function timed(argv, env, cwd) {
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0], argv.slice(1), { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`${argv.join(' ')} failed: ${result.stderr}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// Processes (not threads) that ARGV starts, as strace -f sees them.
function processes(argv, env, cwd, log) {
  spawnSync('strace', ['-f', '-e', 'trace=execve,clone,clone3,fork,vfork', '-o', log, ...argv], {
    env,
    cwd,
    stdio: 'ignore',
  });
  const lines = readFileSync(log, 'utf8').split('\n');
  rmSync(log, { force: true });
  return lines.filter((line) => /\b(clone3?|v?fork)\(/.test(line) && !line.includes('CLONE_THREAD')).length;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// One figure per shell and place: ms per prompt, the totals side by side, processes per prompt.
export function hookFigures({ pipGuard, env, dir, places, runs }) {
  const figures = [];
  for (const [shell, command] of Object.entries(SHELLS)) {
    const init = join(dir, `init.${shell}`);
    writeFileSync(init, execFileSync(pipGuard, ['init', shell, '--activate'], { env }));
    for (const [place, cwd] of Object.entries(places)) {
      const file = (kind, n) => {
        const path = join(dir, `${shell}-${kind}-${n}`);
        writeFileSync(path, script(shell, init, kind === 'hook' ? '_pip_guard_hook' : emptyCall(shell), n));
        return [...command, path];
      };
      const [hook, empty] = [file('hook', PROMPTS), file('empty', PROMPTS)];
      timed(hook, env, cwd);
      timed(empty, env, cwd);
      const with_ = [];
      const without = [];
      for (let i = 0; i < runs; i++) {
        with_.push(timed(hook, env, cwd));
        without.push(timed(empty, env, cwd));
      }
      const log = join(dir, 'strace.log');
      const started =
        processes(file('hook', 100), env, cwd, log) - processes(file('empty', 100), env, cwd, log);
      const [a, b] = [median(with_), median(without)];
      figures.push({
        id: 'H',
        shell,
        place,
        prompts: PROMPTS,
        withHook: a,
        without: b,
        perPrompt: (a - b) / PROMPTS,
        processesPerPrompt: started / 100,
        goal: 1,
        met: (a - b) / PROMPTS <= 1 && started === 0,
      });
    }
  }
  return figures;
}
