import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Sandbox, sandbox } from './harness.js';

interface Case {
  // Writes the bad config into the sandbox; returns extra environment for the call.
  write: (box: Sandbox) => Record<string, string> | undefined;
  // What the one paragraph must say (file and key included).
  says: (box: Sandbox) => RegExp;
  trust?: string;
}

const put = (box: Sandbox, name: string, text: string) => {
  const file = join(box.project, name);
  writeFileSync(file, text);
  return file;
};
const p = (box: Sandbox, name: string) => join(box.project, name).replaceAll('.', '\\.');

const CASES: Record<string, Case> = {
  'malformed JSON': {
    write: (box) => void put(box, '.pip-guardrc.json', '{ "policy": "venv", }'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc.json')} could not be read: Expected double-quoted property name \\(line 1, column 21\\)\\. Fix the file, or remove it\\.\\n$`,
      ),
  },
  'malformed YAML': {
    write: (box) => void put(box, '.pip-guardrc.yaml', 'policy: [venv\n'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc.yaml')} could not be read: unexpected end of the stream within a flow collection \\(2:1\\)\\.`,
      ),
  },
  'malformed TOML': {
    write: (box) => void put(box, '.pip-guardrc.toml', 'policy = venv\n'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc.toml')} could not be read: invalid value \\(line 1, column 10\\)\\.`,
      ),
  },
  'malformed pyproject.toml': {
    write: (box) => void put(box, 'pyproject.toml', '[tool.pip-guard\npolicy = "block"\n'),
    says: (box) => new RegExp(`^pip-guard: ${p(box, 'pyproject.toml')} could not be read: `),
  },
  'an unknown key': {
    write: (box) => void put(box, '.pip-guardrc', '{ "index-url": "https://evil.example/simple" }'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc')}: unknown key "index-url"\\. The keys pip-guard knows are: policy, `,
      ),
  },
  'a misspelled key': {
    write: (box) => void put(box, '.pip-guardrc.yml', 'polciy: venv\n'),
    says: (box) =>
      new RegExp(`${p(box, '.pip-guardrc.yml')}: unknown key "polciy" \\(did you mean "policy"\\?\\)`),
  },
  'a misspelled nested key': {
    write: (box) => void put(box, 'pyproject.toml', '[tool.pip-guard.venv]\nroot = ".venv"\n'),
    says: (box) =>
      new RegExp(`${p(box, 'pyproject.toml')}: unknown key "venv.root" \\(did you mean "venv.route"\\?\\)`),
  },
  'a wrong type': {
    write: (box) => void put(box, '.pip-guardrc.json', '{ "notice": "no" }'),
    says: (box) =>
      new RegExp(
        `${p(box, '.pip-guardrc.json')}: notice is "no", which pip-guard cannot use: it must be true or false\\.`,
      ),
  },
  'a bad policy value': {
    write: (box) => void put(box, 'package.json', '{ "name": "x", "pip-guard": { "policy": "yolo" } }'),
    says: (box) =>
      new RegExp(
        `${p(box, 'package.json')}: policy is "yolo", which pip-guard cannot use: it must be one of auto, venv, pipx, prompt, block, break, off\\.`,
      ),
  },
  'a bad per-package policy': {
    write: (box) => void put(box, '.pip-guardrc.toml', '[packages]\nrequests = "system"\n'),
    says: (box) =>
      new RegExp(
        `${p(box, '.pip-guardrc.toml')}: packages\\.requests is "system", .* one of venv, pipx, block, break\\.`,
      ),
  },
  'venv.path outside the project': {
    write: (box) => void put(box, '.pip-guardrc.json', '{ "venv": { "path": "../../outside" } }'),
    says: (box) =>
      new RegExp(
        `${p(box, '.pip-guardrc.json')}: venv\\.path is "\\.\\./\\.\\./outside", which is not inside the project`,
      ),
  },
  'break from a project file': {
    write: (box) => void put(box, '.pip-guardrc.json', '{ "policy": "break" }'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc.json')} \\(policy\\) asks pip-guard to install into /usr/bin/python3's own environment with --break-system-packages.* Nothing was installed\\.\\n$`,
      ),
  },
  'a per-package break from a project file': {
    write: (box) => void put(box, '.pip-guardrc.json', '{ "packages": { "demo": "break" } }'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc.json')} \\(packages\\.demo\\) asks pip-guard to install into`,
      ),
  },
  'allowBreakSystemPackages in a project file': {
    write: (box) => void put(box, '.pip-guardrc.yaml', 'policy: break\nallowBreakSystemPackages: true\n'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, '.pip-guardrc.yaml')}: allowBreakSystemPackages can only be set in your own config`,
      ),
  },
  'an untrusted JavaScript config': {
    write: (box) => void put(box, 'pip-guard.config.cjs', 'module.exports = { policy: "venv" };\n'),
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, 'pip-guard.config.cjs')} is a JavaScript config file, which runs code, and you have not trusted it: .*pip-guard trust`,
      ),
  },
  'a JavaScript config that throws': {
    write: (box) => void put(box, 'pip-guard.config.js', 'throw new Error("boom in config");\n'),
    trust: 'pip-guard.config.js',
    says: (box) =>
      new RegExp(
        `^pip-guard: ${p(box, 'pip-guard.config.js')} failed while loading: boom in config\\. Fix the file, or remove it\\.\\n$`,
      ),
  },
  'a JavaScript config that exports a non-table': {
    write: (box) => void put(box, 'pip-guard.config.mjs', 'export default ["policy", "venv"];\n'),
    trust: 'pip-guard.config.mjs',
    says: (box) => new RegExp(`${p(box, 'pip-guard.config.mjs')} is not a table of settings`),
  },
  '$import of another file': {
    write: (box) => void put(box, '.pip-guardrc.json', '{ "$import": "/etc/passwd" }'),
    says: (box) => new RegExp(`${p(box, '.pip-guardrc.json')}: pip-guard does not follow \\$import`),
  },
  '$import inside package.json': {
    write: (box) => {
      put(box, 'other.json', '{ "policy": "venv" }');
      put(box, 'package.json', '{ "name": "x", "pip-guard": { "$import": "./other.json" } }');
      return undefined;
    },
    says: (box) => new RegExp(`${p(box, 'package.json')}: pip-guard does not follow \\$import`),
  },
  'two user config files': {
    write: (box) => {
      const dir = join(box.home, '.config', 'pip-guard');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.json'), '{}');
      writeFileSync(join(dir, 'config.yaml'), 'policy: venv\n');
      return undefined;
    },
    says: (box) =>
      new RegExp(
        `${join(box.home, '.config', 'pip-guard', 'config.json').replaceAll('.', '\\.')} and .*config\\.yaml both configure pip-guard: keep one of them\\.`,
      ),
  },
  'a bad value in the user config': {
    write: (box) => {
      const dir = join(box.home, '.config', 'pip-guard');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'config.toml'), 'nonInteractive = "prompt"\n');
      return undefined;
    },
    says: () =>
      /config\.toml: nonInteractive is "prompt", which pip-guard cannot use: it must be one of auto, venv, pipx, block, break, off\./,
  },
  'PIP_GUARD_CONFIG naming a missing file': {
    write: () => ({ PIP_GUARD_CONFIG: 'no/such/config.json' }),
    says: () =>
      /^pip-guard: PIP_GUARD_CONFIG=no\/such\/config\.json: there is no such file\. Point it at a config file, or unset it\.\n$/,
  },
  'a bad PIP_GUARD_PIPX_MISSING': {
    write: () => ({ PIP_GUARD_PIPX_MISSING: 'maybe' }),
    says: () =>
      /^pip-guard: PIP_GUARD_PIPX_MISSING=maybe is not a choice pip-guard knows: use venv .* or error, or unset it\.\n$/,
  },
};

describe('bad config gets one clear paragraph, a non-zero exit, and nothing done', () => {
  it.each(Object.entries(CASES))('%s', async (_, c) => {
    const box = sandbox();
    const env = c.write(box) ?? {};
    if (c.trust) await box.pipGuard(['trust', join(box.project, c.trust)]);
    const result = await box.pip(['install', ...box.offline, 'demo', 'demo-app'], {
      env,
      cwd: join(box.project, 'src'),
    });
    expect(result.exitCode).not.toBe(0);
    expect(result.exitCode).not.toBeUndefined();
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(c.says(box));
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(box.project, '.venv'))).toBe(false);
    expect(existsSync(box.pipxHome)).toBe(false);
  });
});

describe('a project venv.path through a symlink', () => {
  it('may not lead out of the project', async () => {
    const box = sandbox();
    const outside = join(box.dir, 'outside');
    mkdirSync(outside);
    symlinkSync(outside, join(box.project, 'link'));
    writeFileSync(join(box.project, '.pip-guardrc.json'), '{ "venv": { "path": "link/venv" } }');
    const result = await box.pip(['install', ...box.offline, 'demo']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `pip-guard: ${join(box.project, '.pip-guardrc.json')}: venv.path is "link/venv", which leads out of the project (${box.project}) through a symlink: use a path inside the project, such as ".venv".\n`,
    );
    expect(readdirSync(outside)).toEqual([]);
  });
});
