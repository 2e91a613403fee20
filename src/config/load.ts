// Reading pip-guard's config files: the system's (/etc/pip-guard/config.*), the user's
// (${XDG_CONFIG_HOME:-~/.config}/pip-guard/config.*) and the project's (the first of
// SEARCH_PLACES from the working directory up to the project root, or PIP_GUARD_CONFIG).
// Loaded only when candidates.ts finds something to read.
// cosmiconfig reads them; JavaScript only once trusted (trust.ts), TOML with smol-toml.
import { existsSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultLoaders, type Loader } from 'cosmiconfig';
import { Explorer } from 'cosmiconfig/dist/Explorer.js';
import { parse as parseToml } from 'smol-toml';
import type { Env } from '../base/env.js';
import { UserError } from '../base/errors.js';
import {
  FIXED_NAMES,
  JS_CONFIG_FILE,
  SEARCH_PLACES,
  searchDirs,
  systemConfigDir,
  userConfigDir,
} from './candidates.js';
import { jsonProblem } from './json-problem.js';
import { type ConfigFile, validateConfig } from './schema.js';
import { isTrusted } from './trust.js';

export type SourceKind = 'system' | 'user' | 'project';

export interface LoadedFile {
  kind: SourceKind;
  file: string;
  config: ConfigFile;
}

// Exit code 2: the config is wrong, nothing was run.
const configError = (message: string) => new UserError(message, 2);

// cosmiconfig would merge in other files named by `$import`: not for files from strangers.
const noImports = (file: string, content: unknown) => {
  if (content && typeof content === 'object' && '$import' in content) {
    throw configError(`${file}: pip-guard does not follow $import: put the settings in the file itself.`);
  }
  return content;
};

// A trusted JavaScript config's export: import() takes CommonJS, ESM and top-level await, and
// runs inside the single executable too (Bun's import() of a file on disk).
// Not cosmiconfig's loader: when import() throws it retries with import-fresh, and reports that
// retry's failure instead of the config's own error.
async function importConfig(file: string): Promise<unknown> {
  const loaded = (await import(pathToFileURL(await realpath(file)).href)) as { default?: unknown };
  return loaded.default;
}

function loaders(env: Env): Record<string, Loader> {
  // package.json: cosmiconfig takes the "pip-guard" key after the loader, and follows $import in it.
  const data =
    (load: Loader): Loader =>
    async (file, content) => {
      const loaded = noImports(file, await load(file, content));
      if (basename(file) === 'package.json')
        noImports(file, (loaded as Record<string, unknown> | null)?.['pip-guard']);
      return loaded;
    };
  const toml: Loader = (file, content) => {
    const table = parseToml(content) as Record<string, unknown>;
    if (basename(file) !== 'pyproject.toml') return table;
    // Only [tool.pip-guard] is pip-guard's; a pyproject.toml without it is not a config file.
    return ((table.tool as Record<string, unknown> | undefined)?.['pip-guard'] as object | undefined) ?? null;
  };
  const js: Loader = async (file, content) => {
    if (!isTrusted(env, file, content)) {
      throw configError(
        `${file} is a JavaScript config file, which runs code, and you have not trusted it: ` +
          `read it, then run \`pip-guard trust ${file}\` (an edit revokes the trust), or delete it.`,
      );
    }
    return noImports(file, await importConfig(file));
  };
  // A JSON syntax error as pip-guard words it, with its line and column (json-problem.ts).
  const json: Loader = (file, content) => {
    try {
      return (defaultLoaders['.json'] as Loader)(file, content);
    } catch (error) {
      const problem = jsonProblem(content);
      if (!problem) throw error;
      throw Object.assign(new Error(problem.message), { line: problem.line, column: problem.column });
    }
  };
  return {
    '.json': data(json),
    '.yaml': data(defaultLoaders['.yaml'] as Loader),
    '.yml': data(defaultLoaders['.yaml'] as Loader),
    noExt: data(defaultLoaders.noExt as Loader),
    '.toml': data(toml),
    '.js': js,
    '.cjs': js,
    '.mjs': js,
  };
}

function explorer(env: Env): Explorer {
  return new Explorer({
    moduleName: 'pip-guard',
    searchPlaces: SEARCH_PLACES,
    ignoreEmptySearchPlaces: true,
    cache: false,
    transform: (result) => result,
    loaders: loaders(env),
    metaConfigFilePath: null,
    mergeImportArrays: false,
    mergeSearchPlaces: false,
    searchStrategy: 'none',
  });
}

// The line of a parser's message that says what is wrong (not its code frame or header), and
// where, when the parser says (not for what a JavaScript config throws: Bun gives every Error a
// line and column, of the `new Error` in the config's code).
function firstProblem(error: unknown, located: boolean): string {
  const lines = String((error as Error)?.message ?? error)
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^(JSON|YAML) Error in |^Invalid TOML document: ?$|^[>|^\-\d]/.test(line));
  const text = (lines[0] ?? 'unreadable')
    .replace(/^Invalid TOML document: /, '')
    .replace(/ while parsing .*$/, '');
  const { line, column } = error as { line?: number; column?: number };
  return line && located ? `${text} (line ${line}, column ${column})` : text;
}

// A parse error, or a JS config that throws, named with its file.
function unreadable(file: string, error: unknown): UserError {
  if (error instanceof UserError) return error;
  const js = JS_CONFIG_FILE.test(file);
  const what = js ? 'failed while loading' : 'could not be read';
  return configError(`${file} ${what}: ${firstProblem(error, !js)}. Fix the file, or remove it.`);
}

async function read(
  kind: SourceKind,
  file: string,
  load: () => ReturnType<Explorer['load']>,
): Promise<LoadedFile | undefined> {
  let result: Awaited<ReturnType<Explorer['load']>>;
  try {
    result = await load();
  } catch (error) {
    throw unreadable((error as { filepath?: string }).filepath ?? file, error);
  }
  if (!result || result.isEmpty) return undefined;
  const config = validateConfig(result.filepath, result.config);
  if (typeof config === 'string') throw configError(config);
  return { kind, file: result.filepath, config };
}

// /etc/pip-guard/config.{json,yaml,toml} and the user's: at most one file per place.
async function readFixed(kind: SourceKind, dir: string, env: Env): Promise<LoadedFile | undefined> {
  const files = FIXED_NAMES.map((name) => join(dir, name)).filter(existsSync);
  if (files.length > 1) {
    throw configError(`${files.join(' and ')} both configure pip-guard: keep one of them.`);
  }
  const [file] = files;
  return file ? read(kind, file, () => explorer(env).load(file)) : undefined;
}

// The project's config: PIP_GUARD_CONFIG, else the first search place from cwd up to the root.
async function readProject(env: Env, cwd: string, root: string | undefined): Promise<LoadedFile | undefined> {
  const explicit = env.PIP_GUARD_CONFIG;
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file))
      throw configError(
        `PIP_GUARD_CONFIG=${explicit}: there is no such file. Point it at a config file, or unset it.`,
      );
    return read('project', file, () => explorer(env).load(file));
  }
  const search = explorer(env);
  for (const dir of searchDirs(cwd, root)) {
    const found = await read('project', dir, () => search.search(dir));
    if (found) return found;
  }
  return undefined;
}

// Every config file that applies here, lowest precedence first: system, user, project (unless
// `project` is false: the user's and the system's own word only).
export async function loadConfigFiles(
  env: Env,
  cwd: string,
  root: string | undefined,
  project = true,
): Promise<LoadedFile[]> {
  const files = [
    await readFixed('system', systemConfigDir(env), env),
    await readFixed('user', userConfigDir(env), env),
    project ? await readProject(env, cwd, root) : undefined,
  ];
  return files.filter((file): file is LoadedFile => file !== undefined);
}
