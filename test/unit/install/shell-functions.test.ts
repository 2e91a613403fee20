import { describe, expect, it } from 'vitest';
import { callingShell } from '../../../src/facts/calling-shell.js';
import { renderActivation, renderFunctions } from '../../../src/install/shell-functions.js';

describe('callingShell', () => {
  it.each([
    [{ _PIP_GUARD_INIT: '41 functions hook default' }, 41, { hook: true, defaultVenv: true }],
    [{ _PIP_GUARD_INIT: '41 functions' }, 41, { hook: false, defaultVenv: false }],
    // Another process (a script, another terminal) evaluated it, or nobody did.
    [{ _PIP_GUARD_INIT: '41 functions hook' }, 42, undefined],
    [{}, 41, undefined],
    [{ _PIP_GUARD_INIT: '41' }, 41, undefined],
  ])('%j seen from the child of %s: %j', (env, parent, marks) => {
    expect(callingShell(env, parent)).toEqual(marks);
  });
});

describe('renderFunctions', () => {
  it('marks the shell with its pid, and with --activate registers the hook first at each prompt', () => {
    const plain = renderFunctions('bash', '1.0', '/s/pip', ['python3']);
    expect(plain).toContain('export _PIP_GUARD_INIT="$$ functions"\n');
    expect(plain).not.toContain('_pip_guard_mark');
    expect(plain).not.toContain('_pip_guard_hook');
    const hook = renderFunctions('bash', '1.0', '/s/pip', ['python3'], { shims: '/s', defaultVenv: '/d v' });
    expect(hook).toContain('_pip_guard_shims=/s\n');
    expect(hook).toContain("_pip_guard_default='/d v'\n");
    // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's parameter expansion
    expect(hook).toContain('PROMPT_COMMAND="_pip_guard_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"');
    // The hook claims itself at each prompt it runs at.
    expect(hook).toContain(
      '_pip_guard_mark="$$ functions hook default"\nexport _PIP_GUARD_INIT="$$ functions"\n',
    );
    const zsh = renderFunctions('zsh', '1.0', '/s/pip', ['python3'], { shims: '/s' });
    expect(zsh).toContain('chpwd_functions=(_pip_guard_hook $chpwd_functions)');
    const fish = renderFunctions('fish', '1.0', "/it's/pip", ['python3'], {
      shims: "/it's",
    });
    expect(fish).toContain("set -g _pip_guard_shims '/it\\'s'\n");
    expect(fish).toContain('function _pip_guard_hook --on-event fish_prompt --on-variable PWD');
    expect(fish).toContain('set -g _pip_guard_mark "$fish_pid functions hook"\n');
  });
});

describe('renderActivation', () => {
  it('ends what pip-guard had active, then activates the venv', () => {
    expect(
      renderActivation('sh', '1.0', '/s', '/p/my venv').endsWith(
        "_pip_guard_off\n_pip_guard_on '/p/my venv'\n",
      ),
    ).toBe(true);
  });
});
