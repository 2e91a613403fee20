// The npm route: the bundle (dist/pip-guard.cjs) run by a Node of the user's, and the packages
// `npm run release` makes (pip-guard, with a launcher, and @pip-guard/PLATFORM, with the binary),
// installed with npm from the tarballs and from a registry on 127.0.0.1 that serves them. npm and
// the bundle run with the Node 24 the build cached, so the machine's own Node (Debian 12's is 18,
// too old for the bundle) never decides whether they can run.
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PY } from './env.js';
import { BUNDLE, NODE24, notices, runIn, type Sandbox, SYSTEM_PATH, sandbox } from './harness.js';
import { type Host, serve, sharedRelease, VERSION } from './release-host.js';

describe('the bundle, as the npm package runs it', () => {
  it('writes shims that run the bundle with the Node that ran setup, and they send a refused install to .venv', async () => {
    const box = sandbox();
    const shims = join(box.dir, 'bundle-shims');
    const setup = await box.run(NODE24, [BUNDLE, 'setup', '--dir', shims], { env: { PATH: SYSTEM_PATH } });
    expect(setup.exitCode).toBe(0);
    expect(readFileSync(join(shims, 'pip'), 'utf8')).toContain(`exec ${NODE24} ${BUNDLE} --pip-guard-shim`);

    const install = await box.pip(['install', ...box.offline, 'demo'], {
      env: { PATH: `${shims}:${SYSTEM_PATH}` },
    });
    expect(install.exitCode).toBe(0);
    expect(install.stdout).toContain('Successfully installed demo-1.1');
    expect(notices(install.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')} (Python ${PY});`,
    );
  });

  it("starts the bundle's Node without NODE_EXTRA_CA_CERTS, and hands it back to pip as it was", async () => {
    const box = sandbox();
    const shims = join(box.dir, 'bundle-shims');
    await box.run(NODE24, [BUNDLE, 'setup', '--dir', shims], { env: { PATH: SYSTEM_PATH } });
    const fake = join(box.dir, 'fake-pip');
    writeFileSync(
      fake,
      // And whether the Node that started it (pip-guard, its parent) was started with it.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: sh, not a template
      '#!/bin/sh\necho "pip got ${NODE_EXTRA_CA_CERTS-(unset)} ${_PIP_GUARD_NODE_EXTRA_CA_CERTS-(no marker)}"\n' +
        'if tr "\\0" "\\n" < /proc/$PPID/environ | grep -q "^NODE_EXTRA_CA_CERTS="; then echo node had it; else echo node had none; fi\n',
      { mode: 0o755 },
    );
    const shim = readFileSync(join(shims, 'pip'), 'utf8');
    expect(shim).toContain('unset NODE_EXTRA_CA_CERTS');
    const env = { PATH: `${shims}:${SYSTEM_PATH}`, PIP_GUARD_REAL_PIP: fake };
    // An install behind a pip whose Python pip-guard cannot read is tried as typed, as Node's
    // child; a `list`, pip-guard becomes (execve), so its parent is the test's.
    for (const value of ['/etc/ssl/certs/ca-certificates.crt', '', undefined]) {
      const got = `pip got ${value ?? '(unset)'} (no marker)\n`;
      const install = await box.pip(['install', 'x'], { env: { ...env, NODE_EXTRA_CA_CERTS: value } });
      expect(install.stdout).toBe(`${got}node had none\n`);
      const list = await box.pip(['list'], { env: { ...env, NODE_EXTRA_CA_CERTS: value } });
      expect(list.stdout.startsWith(got)).toBe(true);
    }
  });
});

const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-arm64', 'darwin-x64'];
const MAIN = `pip-guard-${VERSION}.tgz`;
const platformTarball = (platform: string) => `pip-guard-${platform}-${VERSION}.tgz`;
const NOTE =
  'pip-guard: no @pip-guard/ package with the binary for this platform is installed (npm install --omit=optional, or no binary for this os and cpu), so pip-guard runs on Node, which starts slower\n';

let npmDir: string;
let registry: Host;
beforeAll(async () => {
  npmDir = join(await sharedRelease(), 'npm');
  // A registry that serves the release's packages, as the npm registry will once they are published.
  registry = await serve(
    npmDir,
    [MAIN, ...PLATFORMS.map(platformTarball)].map((file) => join(npmDir, file)),
  );
}, 600_000);
afterAll(() => registry?.close());

// npm from the machine, run by Node 24, with its own cache, no config of the user's, and the
// test's registry (with a token, so that publish --dry-run has nothing to warn about).
function npmIn(box: Sandbox, url = registry.url) {
  const host = url.replace(/^http:/, '');
  const env = {
    HOME: box.home,
    PATH: `${dirname(NODE24)}:${process.env.PATH}`,
    npm_config_cache: join(box.dir, 'npm-cache'),
    npm_config_registry: `${url}/`,
    [`npm_config_${host}/:_authToken`]: 'test-token',
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  return { env, npm: (args: string[]) => runIn(env, 'npm', args) };
}

// The programs a command started, from strace's execve lines (those that succeeded).
async function programsStarted(box: Sandbox, env: Record<string, string>, file: string, args: string[]) {
  const log = join(box.dir, `strace-${Date.now()}.log`);
  const result = await runIn(env, '/usr/bin/strace', [
    '-f',
    '-qq',
    '-e',
    'trace=execve',
    '-o',
    log,
    file,
    ...args,
  ]);
  const programs = readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => / = 0$/.test(line))
    .map((line) => resolve(/execve\("([^"]+)"/.exec(line)?.[1] as string));
  return { result, programs };
}

describe('the npm packages of a release', () => {
  it('npm publish --dry-run passes for each: pip-guard holds the launcher and the bundle, @pip-guard/PLATFORM the binary', async () => {
    const main = registry.packages.get('pip-guard')?.versions[VERSION];
    expect(main).toMatchObject({
      bin: { 'pip-guard': 'bin/pip-guard' },
      optionalDependencies: Object.fromEntries(PLATFORMS.map((p) => [`@pip-guard/${p}`, VERSION])),
    });
    expect(main?.private).toBeUndefined();
    for (const platform of PLATFORMS) {
      const [os, cpu] = platform.split('-');
      expect(registry.packages.get(`@pip-guard/${platform}`)?.versions[VERSION]).toMatchObject({
        os: [os],
        cpu: [cpu],
      });
    }
    const box = sandbox();
    // A registry where none of them is published yet.
    const empty = await serve(mkdtempSync(join(box.dir, 'empty-')));
    try {
      const { npm } = npmIn(box, empty.url);
      const packages = [
        [
          MAIN,
          'pip-guard',
          [
            'LICENSE',
            'README.md',
            'bin/pip-guard',
            'dist/THIRD-PARTY-LICENSES.txt',
            'dist/pip-guard.cjs',
            'package.json',
          ],
        ],
        ...PLATFORMS.map((platform) => [
          platformTarball(platform),
          `@pip-guard/${platform}`,
          ['LICENSE', 'LICENSE.bun', 'README.md', 'THIRD-PARTY-LICENSES.txt', 'package.json', 'pip-guard'],
        ]),
      ] as [string, string, string[]][];
      // Side by side: npm reads each 50 MB tarball whole.
      const published = await Promise.all(
        packages.map(([tarball]) => npm(['publish', '--dry-run', '--json', join(npmDir, tarball)])),
      );
      for (const [at, [tarball, name, files]] of packages.entries()) {
        const publish = published[at] as Awaited<ReturnType<typeof npm>>;
        expect({ tarball, exitCode: publish.exitCode }).toEqual({ tarball, exitCode: 0 });
        expect(publish.stderr).not.toMatch(/npm (warn|error)/i);
        expect(publish.stderr).toContain(`Publishing to ${empty.url}/ with tag latest and`);
        const report = JSON.parse(publish.stdout)[name] as { version: string; files: { path: string }[] };
        expect(report.version).toBe(VERSION);
        expect(report.files.map((file) => file.path).sort()).toEqual(files);
      }
    } finally {
      await empty.close();
    }
  });

  it("npm install -g of pip-guard and @pip-guard/linux-x64: pip-guard is the binary, no Node starts, and setup in npm's bin/ leaves npm's link", async () => {
    const box = sandbox();
    const { env, npm } = npmIn(box);
    const prefix = join(box.dir, 'global');
    const install = await npm([
      'install',
      '-g',
      '--offline',
      '--prefix',
      prefix,
      join(npmDir, MAIN),
      join(npmDir, platformTarball('linux-x64')),
    ]);
    expect(install.exitCode).toBe(0);
    const binary = join(prefix, 'lib', 'node_modules', '@pip-guard', 'linux-x64', 'pip-guard');
    const { result, programs } = await programsStarted(box, env, join(prefix, 'bin', 'pip-guard'), [
      '--version',
    ]);
    expect(result).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n`, stderr: '' });
    // sh runs the launcher, readlink follows npm's link to it, and sh execs the binary in its place.
    expect(programs).toEqual([join(prefix, 'bin', 'pip-guard'), '/usr/bin/readlink', binary]);

    // npm's bin/ as the shim directory, as /usr/local/bin is for setup --system after `sudo npm
    // install -g` with Debian's npm: setup and teardown leave npm's link to the launcher.
    const bin = join(prefix, 'bin');
    const link = readlinkSync(join(bin, 'pip-guard'));
    const setup = await box.run(join(bin, 'pip-guard'), ['setup', '--dir', bin], {
      env: { PATH: SYSTEM_PATH },
    });
    expect(setup).toMatchObject({
      exitCode: 0,
      stdout: expect.stringContaining(
        `pip-guard: wrote pip, pip3, pip${PY}, python3, python${PY} to ${bin}\n`,
      ),
    });
    expect(readlinkSync(join(bin, 'pip-guard'))).toBe(link);
    expect(readFileSync(join(bin, 'pip'), 'utf8')).toContain(`exec ${binary} --pip-guard-shim`);
    const pip = await box.pip(['install', ...box.offline, 'demo'], {
      env: { PATH: `${bin}:${SYSTEM_PATH}` },
    });
    expect(pip.exitCode).toBe(0);
    expect(notices(pip.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')}`,
    );

    const teardown = await box.run(join(bin, 'pip-guard'), ['teardown', '--dir', bin], {
      env: { PATH: SYSTEM_PATH },
    });
    expect(teardown).toMatchObject({
      exitCode: 0,
      stdout: `pip-guard: removed pip, pip3, pip${PY}, python3, python${PY} from ${bin}\n`,
    });
    expect(readlinkSync(join(bin, 'pip-guard'))).toBe(link);
    expect((await box.run(join(bin, 'pip-guard'), ['--version'])).stdout).toBe(`${VERSION}\n`);
  });

  it('npm install -g pip-guard from a registry: the binary nested in it, and shims that run it where npm put it', async () => {
    const box = sandbox();
    const { env, npm } = npmIn(box);
    const prefix = join(box.dir, 'global');
    const install = await npm(['install', '-g', '--prefix', prefix, `pip-guard@${VERSION}`]);
    expect(install.exitCode).toBe(0);
    const installed = join(prefix, 'lib', 'node_modules', 'pip-guard');
    // npm took only the package for this os and cpu.
    expect(readdirSync(join(installed, 'node_modules', '@pip-guard'))).toEqual(['linux-x64']);
    const binary = join(installed, 'node_modules', '@pip-guard', 'linux-x64', 'pip-guard');
    const pipGuard = join(prefix, 'bin', 'pip-guard');
    const { result, programs } = await programsStarted(box, env, pipGuard, ['--version']);
    expect(result).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(programs.at(-1)).toBe(binary);
    expect(programs.filter((program) => program.endsWith('/node'))).toEqual([]);

    const shims = join(box.dir, 'npm-shims');
    const setup = await box.run(pipGuard, ['setup', '--dir', shims], { env: { PATH: SYSTEM_PATH } });
    expect(setup.exitCode).toBe(0);
    expect(readFileSync(join(shims, 'pip'), 'utf8')).toContain(`exec ${binary} --pip-guard-shim`);
    expect(readFileSync(join(shims, 'pip-guard'), 'utf8')).toContain(`exec ${binary} "$@"`);
    const pip = await box.pip(['install', ...box.offline, 'demo'], {
      env: { PATH: `${shims}:${SYSTEM_PATH}` },
    });
    expect(pip.exitCode).toBe(0);
    expect(notices(pip.stderr)[0]).toContain(
      `so pip installed into a new venv, ${join(box.project, '.venv')}`,
    );

    // npm updates it: self-update says so, and changes nothing.
    for (const self of [pipGuard, join(shims, 'pip-guard')]) {
      const update = await box.run(self, ['self-update'], { env: { PATH: `${shims}:${SYSTEM_PATH}` } });
      expect(update).toMatchObject({
        exitCode: 1,
        stdout: '',
        stderr:
          'pip-guard: this pip-guard came from npm, which updates it: run `npm update -g pip-guard` (then `pip-guard setup`, so that the shims say the new version).\n',
      });
    }
  });

  // npm -g installs optional dependencies whatever --omit says (npm/cli#8284, npm 11): a project's
  // npm install honours it, and npm -g leaves out a package whose cpu or libc is not this one's.
  it.each([
    ['npm install --omit=optional, in a project', ['--omit=optional'], join('node_modules', '.bin')],
    ['npm install -g on a CPU with no binary (npm --cpu=riscv64)', ['-g', '--cpu=riscv64'], 'bin'],
    [
      "npm install -g on musl, which Bun's Linux binary does not run on (npm --libc=musl)",
      ['-g', '--libc=musl'],
      'bin',
    ],
  ])('%s: the bundle on Node, and a one-line note that says so', async (_, flags, bin) => {
    const box = sandbox();
    const { env, npm } = npmIn(box);
    const prefix = join(box.dir, 'prefix');
    const install = await npm(['install', ...flags, '--prefix', prefix, `pip-guard@${VERSION}`]);
    expect(install.exitCode).toBe(0);
    const packages = join(prefix, ...(flags.includes('-g') ? ['lib', 'node_modules'] : ['node_modules']));
    expect(existsSync(join(packages, '@pip-guard'))).toBe(false);
    expect(existsSync(join(packages, 'pip-guard', 'node_modules'))).toBe(false);
    const answer = await runIn(env, join(prefix, bin, 'pip-guard'), ['--version']);
    expect(answer).toMatchObject({ exitCode: 0, stdout: `${VERSION}\n`, stderr: NOTE });
  });
});
