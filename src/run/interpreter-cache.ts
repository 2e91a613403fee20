// pip-guard's cache of what interpreters answered about PEP 668 (facts/interpreter.ts asks and
// reads it), and of which Python refused behind a wrapper: written after the facts are gathered.
// A cache that cannot be written only costs the next call a probe.
import type { Env } from '../base/env.js';
import { readOwnJson, writeOwnFile } from '../base/own-files.js';
import {
  answersToKeep,
  type InterpreterCache,
  interpreterCache,
  refusalKey,
  refusalsFile,
} from '../facts/interpreter.js';

function writeCache(file: string, cache: object): void {
  try {
    writeOwnFile(file, JSON.stringify(cache));
  } catch {}
}

// Keeps the answers this process asked interpreters for.
export function rememberAnswers(env: Env): void {
  const answers = answersToKeep();
  const file = interpreterCache(env);
  if (answers.length === 0 || !file) return;
  const cache = readOwnJson<InterpreterCache>(file) ?? {};
  for (const { python, key, facts } of answers) cache[python] = { key, facts };
  writeCache(file, cache);
}

export function rememberRefusal(env: Env, wrapper: string, place: string, python: string): void {
  const file = refusalsFile(env);
  if (!file) return;
  const refusals = readOwnJson<Record<string, string>>(file) ?? {};
  refusals[refusalKey(wrapper, place, env)] = python;
  writeCache(file, refusals);
}
