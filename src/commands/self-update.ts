// pip-guard self-update [RELEASE]: replace this pip-guard (the installer's or a release tarball's
// binary) with the latest release, or version RELEASE, checked as the installer checks it, then run
// setup again so that the shims beside it match. npm's pip-guard and a checkout's build are
// updated the way they came.
import { dirname } from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from '../base/errors.js';
import { writeProblem } from '../base/files.js';
import { run } from '../base/process.js';
import { VERSION } from '../base/version.js';
import {
  compareReleases,
  downloadUrlProblem,
  isVersion,
  type ReleaseUrls,
  releasePlatform,
  releaseUrls,
} from '../install/release.js';
import { originOf, type Running, runningAs, type SelfRecord } from '../install/self-install.js';
import { readManifest } from '../install/shims.js';
import { SYSTEM_DIR } from '../install/system-install.js';

export const command = 'self-update [release]';
export const describe =
  "Update this pip-guard to the latest release (or RELEASE), checked against the release's SHA256SUMS, and set it up again";

export const builder = (y: Argv) =>
  y
    .positional('release', {
      type: 'string',
      describe: 'The version to install, such as 0.1.0 (default: the latest)',
    })
    .example('$0 self-update', 'the latest release, from PIP_GUARD_DOWNLOAD_URL or GitHub')
    .example('$0 self-update 0.1.0', 'that version, newer or older')
    .epilog(
      'For pip-guard from the installer or a release tarball. From npm: `npm update -g pip-guard`. Set PIP_GUARD_DOWNLOAD_URL to download from another host (a directory as `npm run release` writes dist/).',
    );

// Why this pip-guard is not self-update's to replace, if it is not: npm's, a checkout's, the bundle.
function refusal(running: Running, recorded: SelfRecord | undefined): string | undefined {
  const origin = originOf(running, recorded);
  if (origin.kind === 'npm') {
    return 'this pip-guard came from npm, which updates it: run `npm update -g pip-guard` (then `pip-guard setup`, so that the shims say the new version).';
  }
  if (origin.kind === 'checkout') {
    return `this pip-guard is a build of the checkout ${origin.root}: update it there (\`git pull\`, \`npm run build:binary\`, then \`dist/pip-guard setup\` in it), or install a release with the installer.`;
  }
  if (running.kind === 'bundle') {
    return `self-update replaces the single executable, and this is the bundle ${running.bundle} run by Node: install a release with the installer instead.`;
  }
  return undefined;
}

// The version to install: VERSION as typed (v0.1.0 too), or the latest.
async function wantedVersion(typed: string | undefined, urls: ReleaseUrls): Promise<string> {
  if (typed === undefined) return (await import('../install/self-update.js')).latestVersion(urls);
  const version = typed.replace(/^v/, '');
  if (!isVersion(version))
    throw new UserError(
      `"${typed}" is not a pip-guard version (such as 0.1.0): name one, or leave it out for the latest.`,
      2,
    );
  return version;
}

// Why there is nothing to update to VERSION (`named`: asked for by the user), if there is not:
// it is this one, or (unless named: a named older one is a downgrade) older than this one.
function nothingToDo(version: string, named: boolean, urls: ReleaseUrls): string | undefined {
  const order = compareReleases(version, VERSION);
  if (named) return order === 0 ? `this pip-guard is ${VERSION} already: nothing to update` : undefined;
  if (order === 0)
    return `this pip-guard (${VERSION}) is the latest release at ${urls.from}: nothing to update`;
  if (order === -1)
    return `this pip-guard (${VERSION}) is newer than the latest release at ${urls.from}, ${version}: nothing to update`;
  return undefined;
}

export async function handler(args: { release?: string }): Promise<number> {
  const env = process.env;
  const running = runningAs();
  const target = running.kind === 'binary' ? running.binary : undefined;
  const dir = target && dirname(target);
  // What setup recorded where this pip-guard is, when it is the copy beside the shims.
  const recorded = dir ? readManifest(dir)?.self : undefined;
  const refused = refusal(running, recorded);
  if (refused || !target || !dir)
    throw new UserError(refused ?? 'self-update replaces the single executable.');
  const urlProblem = downloadUrlProblem(env);
  if (urlProblem) throw new UserError(urlProblem, 2);
  const unwritable = writeProblem(dir);
  if (unwritable) {
    const sudo = dir === SYSTEM_DIR ? ': run `sudo pip-guard self-update`' : '';
    throw new UserError(
      `pip-guard cannot write ${dir} (${unwritable}), where it would put the new ${target}, so nothing was downloaded${sudo}.`,
    );
  }
  const { checkedTarball, replaceBinary, underRosetta } = await import('../install/self-update.js');
  const platform = releasePlatform(process.platform, process.arch, await underRosetta());
  if (!platform)
    throw new UserError(`there is no pip-guard release for ${process.platform}-${process.arch}.`);
  const urls = releaseUrls(env);
  const version = await wantedVersion(args.release, urls);
  const nothing = nothingToDo(version, args.release !== undefined, urls);
  if (nothing) {
    console.log(`pip-guard: ${nothing}`);
    return 0;
  }
  const { name, tarball, files } = await checkedTarball(urls, version, platform);
  await replaceBinary(target, name, tarball, version);
  const updated = `pip-guard: updated ${target} from ${VERSION} to ${version} (${name}, checked against ${files}/SHA256SUMS)`;
  if (recorded?.kind === 'binary') {
    // The new binary writes the shims, with its version in them, as the installer would.
    const setup = await run(target, ['setup', '--dir', dir, ...(dir === SYSTEM_DIR ? ['--system'] : [])]);
    if (!('code' in setup) || setup.code !== 0) {
      throw new UserError(
        `${updated.slice('pip-guard: '.length)}, but its setup stopped (see above): run \`${target} setup\` again.`,
      );
    }
  }
  console.log(updated);
  return 0;
}
