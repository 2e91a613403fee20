import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { notices, ROOT, type Sandbox, sandbox } from './harness.js';

// pip-guard's own commands run from a subdirectory of the project.
const inSrc = (box: Sandbox) => ({ cwd: join(box.project, 'src') });

const noVenv = (box: Sandbox) => {
  expect(existsSync(join(box.project, '.venv'))).toBe(false);
  expect(existsSync(join(box.home, '.local', 'share', 'pip-guard', 'venvs'))).toBe(false);
};

const BLOCKED =
  /externally managed \(PEP 668\), and pip-guard's policy block \((.+)\) keeps installs out of it, so nothing was installed/;

// [file name, its text choosing policy block, whether it runs code (and needs trust)]
const FORMATS: [string, string, boolean][] = [
  ['.pip-guardrc', '{ "policy": "block" }\n', false],
  ['.pip-guardrc', 'policy: block\n', false],
  ['.pip-guardrc.json', '{ "policy": "block" }\n', false],
  ['.pip-guardrc.yaml', 'policy: block\n', false],
  ['.pip-guardrc.yml', 'policy: block\n', false],
  ['.pip-guardrc.toml', 'policy = "block"\n', false],
  ['pip-guard.config.js', 'module.exports = { policy: "block" };\n', true],
  ['pip-guard.config.cjs', 'module.exports = { policy: "block" };\n', true],
  ['pip-guard.config.mjs', 'export default { policy: "block" };\n', true],
  // Top-level await: loaded with import(), which runs inside the single executable too.
  ['pip-guard.config.mjs', 'await null;\nexport default { policy: "block" };\n', true],
  ['package.json', '{ "name": "x", "pip-guard": { "policy": "block" } }\n', false],
  ['pyproject.toml', '[project]\nname = "x"\n\n[tool.pip-guard]\npolicy = "block"\n', false],
];

describe('every config format', () => {
  it.each(FORMATS)(
    '%s (%j) blocks pip install from a subdirectory, naming the file',
    async (name, text, code) => {
      const box = sandbox();
      const file = join(box.project, name);
      writeFileSync(file, text);
      if (code) expect((await box.pipGuard(['trust', file], inSrc(box))).exitCode).toBe(0);
      const result = await box.pip(['install', ...box.offline, 'demo'], { cwd: join(box.project, 'src') });
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(BLOCKED);
      expect(BLOCKED.exec(result.stderr)?.[1]).toBe(`${file} (policy)`);
      expect(result.stderr).toContain('`python3 -m venv .venv && .venv/bin/pip install demo`');
      expect(result.stderr).toContain('`pipx install demo`');
      noVenv(box);
    },
  );

  it('ignores a pyproject.toml or package.json that does not configure pip-guard', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, 'package.json'), '{ "name": "x" }\n');
    writeFileSync(join(box.project, '.pip-guardrc.yaml'), 'policy: block\n');
    const result = await box.pip(['install', 'demo']);
    expect(BLOCKED.exec(result.stderr)?.[1]).toBe(`${join(box.project, '.pip-guardrc.yaml')} (policy)`);
  });

  it('loads .pip-guardrc.example as a valid config', async () => {
    const box = sandbox();
    copyFileSync(join(ROOT, '.pip-guardrc.example'), join(box.project, '.pip-guardrc'));
    const result = await box.pipGuard(['config', '--json'], inSrc(box));
    expect(result.exitCode).toBe(0);
    const { values } = JSON.parse(result.stdout);
    expect(values.policy).toEqual({ value: 'auto', from: `${join(box.project, '.pip-guardrc')} (policy)` });
    expect(values['packages.tensorflow'].value).toBe('block');
    expect(values['pipx.apps'].value).toContain('my-internal-cli');
  });
});

describe('precedence, end to end: environment > project > user > system', () => {
  // policy off lets pip refuse as it always did; block names the file that chose it.
  const layers = (box: Sandbox, system?: string, user?: string, project?: string) => {
    const systemDir = join(box.dir, 'etc-pip-guard');
    mkdirSync(systemDir);
    if (system) writeFileSync(join(systemDir, 'config.json'), JSON.stringify({ policy: system }));
    if (user) {
      mkdirSync(join(box.home, '.config', 'pip-guard'), { recursive: true });
      writeFileSync(join(box.home, '.config', 'pip-guard', 'config.yaml'), `policy: ${user}\n`);
    }
    if (project) writeFileSync(join(box.project, '.pip-guardrc.toml'), `policy = "${project}"\n`);
    return { PIP_GUARD_SYSTEM_CONFIG_DIR: systemDir };
  };
  const refusedByPip = (stderr: string) =>
    stderr.includes('error: externally-managed-environment') && notices(stderr).length === 0;

  it('the system’s config applies alone', async () => {
    const box = sandbox();
    const result = await box.pip(['install', 'demo'], { env: layers(box, 'block') });
    expect(BLOCKED.exec(result.stderr)?.[1]).toBe(
      `${join(box.dir, 'etc-pip-guard', 'config.json')} (policy)`,
    );
  });

  it('the user’s beats the system’s', async () => {
    const box = sandbox();
    expect(
      refusedByPip((await box.pip(['install', 'demo'], { env: layers(box, 'block', 'off') })).stderr),
    ).toBe(true);
  });

  it('the project’s beats the user’s', async () => {
    const box = sandbox();
    expect(
      refusedByPip(
        (await box.pip(['install', 'demo'], { env: layers(box, undefined, 'block', 'off') })).stderr,
      ),
    ).toBe(true);
  });

  it('the environment beats the project’s', async () => {
    const box = sandbox();
    const env = { ...layers(box, undefined, undefined, 'block'), PIP_GUARD_POLICY: 'off' };
    expect(refusedByPip((await box.pip(['install', 'demo'], { env })).stderr)).toBe(true);
  });
});

describe('PIP_GUARD_CONFIG', () => {
  it('names the config file to use instead of the project’s (absolute, or relative to cwd)', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "policy": "off" }');
    const file = join(box.dir, 'team', 'pip-guard.yaml');
    mkdirSync(join(box.dir, 'team'));
    writeFileSync(file, 'policy: block\n');
    for (const value of [file, '../../team/pip-guard.yaml']) {
      const env = { PIP_GUARD_CONFIG: value };
      const result = await box.pip(['install', 'demo'], { env, cwd: join(box.project, 'src') });
      expect(result.exitCode).toBe(1);
      expect(BLOCKED.exec(result.stderr)?.[1]).toBe(`${file} (policy)`);
      const shown = await box.pipGuard(['config', '--json'], { env, cwd: join(box.project, 'src') });
      expect(JSON.parse(shown.stdout).files).toEqual([{ kind: 'project', file }]);
    }
    // Where it is the only config file there is.
    rmSync(join(box.project, '.pip-guardrc.json'));
    const alone = await box.pip(['install', 'demo'], { env: { PIP_GUARD_CONFIG: file } });
    expect(BLOCKED.exec(alone.stderr)?.[1]).toBe(`${file} (policy)`);
    noVenv(box);
  });
});

describe('per-package policies', () => {
  it('send one package to pipx and the other to the venv in the same command', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.json'), JSON.stringify({ packages: { Demo_App: 'pipx' } }));
    const result = await box.pip(['install', ...box.offline, 'demo', 'demo-app']);
    expect(result.exitCode).toBe(0);
    expect((await box.run(join(box.pipxBin, 'demo-app'), [])).stdout).toBe('demo-app 1.1\n');
    const python = join(box.project, '.venv', 'bin', 'python');
    expect((await box.run(python, ['-c', 'import demo'])).exitCode).toBe(0);
    expect((await box.run(python, ['-c', 'import demo_app'])).exitCode).toBe(1);
    const [line] = notices(result.stderr);
    expect(notices(result.stderr)).toHaveLength(1);
    expect(line).toContain('demo-app went to pipx');
    expect(line).toContain(`so pip installed into a new venv, ${join(box.project, '.venv')}`);
  });

  it('auto sends a known app to pipx and keeps a mix in the venv, naming the pipx command', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.yaml'), 'pipx:\n  apps: [demo-app]\n');
    const app = await box.pip(['install', ...box.offline, 'demo-app']);
    expect(notices(app.stderr)[0]).toContain('demo-app went to pipx');
    const mix = await box.pip(['install', ...box.offline, 'demo', 'demo-app==1.0']);
    expect(mix.exitCode).toBe(0);
    const venv = join(box.project, '.venv');
    expect(notices(mix.stderr)[0]).toMatch(
      new RegExp(
        `so pip installed into a new venv, ${venv} .*; demo-app's command is in the venv: run demo-app, or \`pipx install demo-app\` to have it on PATH apart from this project$`,
      ),
    );
    // In the project, its venv's demo-app runs by name (its shim comes first); pipx's elsewhere.
    expect((await box.run('demo-app', [])).stdout).toBe('demo-app 1.0\n');
    const path = `${box.shims}:${box.pipxBin}:/usr/bin:/bin`;
    expect((await box.run('demo-app', [], { cwd: box.home, env: { PATH: path } })).stdout).toBe(
      'demo-app 1.1\n',
    );
  });
});

describe('notice: false', () => {
  it('keeps pip-guard quiet', async () => {
    const box = sandbox();
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "notice": false }');
    const result = await box.pip(['install', ...box.offline, 'demo']);
    expect(result.exitCode).toBe(0);
    expect(notices(result.stderr)).toEqual([]);
  });
});

describe('trust for JavaScript config files', () => {
  it('refuses an untrusted one, applies it once trusted, and forgets that after an edit', async () => {
    const box = sandbox();
    const file = join(box.project, 'pip-guard.config.js');
    const marker = join(box.dir, 'ran');
    writeFileSync(
      file,
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');\nmodule.exports = { policy: 'block' };\n`,
    );
    const untrusted = await box.pip(['install', 'demo']);
    expect(untrusted.exitCode).toBe(2);
    expect(untrusted.stderr).toBe(
      `pip-guard: ${file} is a JavaScript config file, which runs code, and you have not trusted it: ` +
        `read it, then run \`pip-guard trust ${file}\` (an edit revokes the trust), or delete it.\n`,
    );
    expect(existsSync(marker)).toBe(false);
    noVenv(box);

    // A package.json on the way up that does not configure pip-guard is not the config.
    writeFileSync(join(box.project, 'src', 'package.json'), '{ "name": "x" }');
    const trusted = await box.pipGuard(['trust'], inSrc(box));
    expect(trusted.stdout).toBe(`pip-guard: trusted ${file} as it is now; editing it revokes the trust\n`);
    expect((await box.pipGuard(['trust', '--list'], inSrc(box))).stdout).toContain(file);
    expect(BLOCKED.exec((await box.pip(['install', 'demo'])).stderr)?.[1]).toBe(`${file} (policy)`);
    expect(existsSync(marker)).toBe(true);

    writeFileSync(file, `${readFileSync(file, 'utf8')}// edited\n`);
    expect((await box.pip(['install', 'demo'])).stderr).toContain('you have not trusted it');

    await box.pipGuard(['trust'], inSrc(box));
    expect((await box.pipGuard(['untrust'], inSrc(box))).stdout).toBe(
      `pip-guard: ${file} is no longer trusted\n`,
    );
    expect((await box.pip(['install', 'demo'])).stderr).toContain('you have not trusted it');
  });

  it('never runs cosmiconfig’s own .config/config.js of a cloned repository', async () => {
    const box = sandbox();
    const marker = join(box.dir, 'ran');
    mkdirSync(join(box.project, '.config'));
    writeFileSync(
      join(box.project, '.config', 'config.js'),
      `require('fs').writeFileSync(${JSON.stringify(marker)}, 'x');\n`,
    );
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "policy": "block" }');
    const result = await box.pip(['install', 'demo']);
    expect(result.stderr).toMatch(BLOCKED);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('policy break, where the user’s own config allows it', () => {
  // The user's own config allows break, and the project's chooses it.
  const breakAllowedByUser = () => {
    const box = sandbox();
    mkdirSync(join(box.home, '.config', 'pip-guard'), { recursive: true });
    writeFileSync(
      join(box.home, '.config', 'pip-guard', 'config.json'),
      '{ "allowBreakSystemPackages": true }',
    );
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "policy": "break" }');
    return box;
  };

  // --dry-run keeps the real pip from touching the system while it runs with the flag.
  it('runs the real pip with --break-system-packages', async () => {
    const box = breakAllowedByUser();
    const result = await box.pip(['install', '--dry-run', ...box.offline, 'demo']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('Would install demo-1.1');
    expect(notices(result.stderr)).toEqual([
      `pip-guard: policy break (${join(box.project, '.pip-guardrc.json')} (policy)): pip ran with --break-system-packages, on /usr/bin/python3's own environment`,
    ]);
    noVenv(box);
  });

  it('PIP_GUARD_ALLOW_BREAK=0 wins over a config that allows it: nothing is installed', async () => {
    const box = breakAllowedByUser();
    const result = await box.pip(['install', '--dry-run', ...box.offline, 'demo'], {
      env: { PIP_GUARD_ALLOW_BREAK: '0' },
    });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toBe('');
    expect(notices(result.stderr)).toEqual([
      `pip-guard: ${join(box.project, '.pip-guardrc.json')} (policy) asks pip-guard to install into /usr/bin/python3's own ` +
        "environment with --break-system-packages, which can break the system's own tools; PIP_GUARD_ALLOW_BREAK=0 " +
        'forbids that here, whatever the config files say. Nothing was installed.',
    ]);
    noVenv(box);
  });

  it('or PIP_GUARD_ALLOW_BREAK=1 for containers and CI', async () => {
    const box = sandbox();
    const env = { PIP_GUARD_POLICY: 'break', PIP_GUARD_ALLOW_BREAK: '1' };
    const result = await box.pip(['install', '--dry-run', ...box.offline, 'demo'], { env });
    expect(result.stdout).toContain('Would install demo-1.1');
    const refused = await box.pip(['install', '--dry-run', ...box.offline, 'demo'], {
      env: { PIP_GUARD_POLICY: 'break' },
    });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('PIP_GUARD_POLICY asks pip-guard to install into /usr/bin/python3');
  });
});
