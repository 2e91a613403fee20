import { describe, expect, it } from 'vitest';
import { parsePipArgs, withoutOptions } from '../../../src/pip-cli/parse.js';

const split = (line: string) => (line === '' ? [] : line.split(' '));

// [command line, command, "dest=value" of each option in order, positional args, problem?]
type Row = [string, string | undefined, string[], string[], RegExp?];

const rows: Row[] = [
  ['install demo', 'install', [], ['demo']],
  ['', undefined, [], []],
  ['--version', undefined, ['version'], []],
  ['-V', undefined, ['version'], []],
  ['install --break-system-packages demo', 'install', ['override_externally_managed'], ['demo']],
  ['install --break-sys demo', 'install', ['override_externally_managed'], ['demo']],
  ['install --br demo', 'install', ['override_externally_managed'], ['demo']],
  ['install --targ /t demo', 'install', ['target_dir=/t'], ['demo']],
  ['install --target=/t demo', 'install', ['target_dir=/t'], ['demo']],
  ['install -t /t demo', 'install', ['target_dir=/t'], ['demo']],
  ['install -t/t demo', 'install', ['target_dir=/t'], ['demo']],
  ['install --pre demo', 'install', ['pre'], ['demo']],
  ['install --prefix /p demo', 'install', ['prefix_path=/p'], ['demo']],
  ['install --root /r demo', 'install', ['root_path=/r'], ['demo']],
  ['install -Ur req.txt', 'install', ['upgrade', 'requirements=req.txt'], []],
  ['install -rreq.txt', 'install', ['requirements=req.txt'], []],
  ['install -qq demo', 'install', ['quiet', 'quiet'], ['demo']],
  ['-vvv install demo', 'install', ['verbose', 'verbose', 'verbose'], ['demo']],
  ['--timeout 5 install demo', 'install', ['timeout=5'], ['demo']],
  ['--timeout=5 install demo', 'install', ['timeout=5'], ['demo']],
  ['--python /usr/bin/python3 install demo', 'install', ['python=/usr/bin/python3'], ['demo']],
  ['--cach /c install demo', 'install', ['cache_dir=/c'], ['demo']],
  // pip says "ambiguous option" too: install's parser also has --python-version.
  ['--pyth .venv install demo', 'install', [], [], /could be any of --python, --python-version/],
  ['--log install install demo', 'install', ['log=install'], ['demo']],
  ['install demo --user', 'install', ['use_user_site'], ['demo']],
  ['install demo --timeout 3 other', 'install', ['timeout=3'], ['demo', 'other']],
  ['install --dry-run --report - demo', 'install', ['dry_run', 'json_report_file=-'], ['demo']],
  ['install -- -demo', 'install', [], ['-demo']],
  ['-- install demo', 'install', [], ['demo']],
  ['install --index-url http://x demo', 'install', ['index_url=http://x'], ['demo']],
  ['install -e ./src', 'install', ['editables=./src'], []],
  ['uninstall -y demo', 'uninstall', ['yes'], ['demo']],
  ['uninstall --break-system demo', 'uninstall', ['override_externally_managed'], ['demo']],
  ['list --path /x', 'list', ['path=/x'], []],
  ['download demo', 'download', [], []],
  ['help install', 'help', [], []],
  ['instal demo', 'instal', [], [], /no command "instal"/],
  ['--break-sys install demo', undefined, [], [], /does not know the option --break-sys/],
  ['install --no-such-option demo', 'install', [], [], /does not know the option --no-such-option/],
  ['install --only x demo', 'install', [], [], /could be any of/],
  ['install -Z demo', 'install', [], [], /does not know the option -Z/],
  ['install --target', 'install', [], [], /--target needs a value/],
  ['install --pre=1 demo', 'install', [], [], /--pre does not take a value/],
];

describe('parsePipArgs', () => {
  it.each(rows)('reads `pip %s`', (line, command, options, args, problem) => {
    const parsed = parsePipArgs(split(line));
    expect(parsed.command).toBe(command);
    // A line pip-guard cannot read still says what it read up to the problem.
    if (problem) expect(parsed.problem).toMatch(problem);
    else expect(parsed.problem).toBeUndefined();
    expect(parsed.options.map((o) => (o.value === undefined ? o.dest : `${o.dest}=${o.value}`))).toEqual(
      options,
    );
    expect(parsed.args).toEqual(args);
  });

  it('keeps the general options before the command apart, as pip main parser sees them', () => {
    const parsed = parsePipArgs(split('--python /x install --user demo'));
    expect(parsed.leading.map((o) => o.dest)).toEqual(['python']);
    expect(parsed.options.map((o) => o.dest)).toEqual(['python', 'use_user_site']);
  });
});

describe('withoutOptions', () => {
  it.each([
    ['install --user demo', 'install demo'],
    ['--python /usr/bin/python3 install demo --break-sys', 'install demo'],
    ['--python=/usr/bin/python3 install --user -U demo', 'install -U demo'],
    ['install -Uq demo', 'install -Uq demo'],
    ['--log install install demo --user', '--log install install demo'],
  ])('drops --user, --break-system-packages and --python from `%s`', (line, expected) => {
    const parsed = parsePipArgs(split(line));
    expect(withoutOptions(parsed, ['use_user_site', 'override_externally_managed', 'python']).join(' ')).toBe(
      expected,
    );
  });
});
