// Reading pip-guard's own small files (records, caches, manifests) and others' metadata,
// where a file that is missing or unreadable simply means "nothing recorded".
import { readFileSync } from 'node:fs';

// The parsed JSON in `file`, or undefined when it is missing or not JSON.
export function readJson<T = unknown>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}
