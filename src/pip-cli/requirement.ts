// What a pip requirement argument names, as far as pipx needs to know: the project (PEP 503
// normalised, to compare with what pipx has) and whether it is a bare name.
import { basename } from 'node:path';

// PEP 503: runs of -, _ and . are one -, case does not matter (Demo_App = demo-app).
export const normalizeName = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');

export interface Requirement {
  raw: string;
  // The normalised project name, when the argument says it (not for a directory or bare URL).
  name?: string;
  // Nothing but a name: no extras, version, marker or URL.
  bare: boolean;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(.*)$/s;

// What pip takes for an archive file when an argument is no URL (pip's is_archive_file, any case).
const ARCHIVE = /\.(whl|zip|tar|tar\.gz|tgz|tar\.bz2|tbz|tar\.xz|txz|tlz|tar\.lz|tar\.lzma)$/i;

// A wheel's file name (PEP 427), as pip's Wheel class reads it: the project is the first part, in
// which `-` is written `_`; anything else named .whl pip refuses as no valid wheel file name.
const WHEEL = /^([^\s-]+?)-[^\s-]*?(?:-\d[^-]*?)?-[^\s-]+?-[^\s-]+?-[^\s-]+?\.whl$/;

// The project a file or URL names: only a wheel's file name says it (a directory, an sdist, whose
// name does not say where the project's name ends, and a URL to either do not).
function fileProject(path: string): string | undefined {
  const file = basename(path.replace(/\[[^\]]+\]$/, ''));
  const wheel = WHEEL.exec(file);
  return wheel ? normalizeName(wheel[1] as string) : undefined;
}

export function parseRequirement(raw: string): Requirement {
  const text = raw.trim();
  // `name @ url` (PEP 508 direct reference) names the project.
  const direct = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*@\s*\S/.exec(text);
  if (direct) return { raw, name: normalizeName(direct[1] as string), bare: false };
  // A URL (its markers after `; `, its query and fragment apart), or a path.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    return { raw, name: fileProject((text.split('; ')[0] ?? '').replace(/[?#].*$/s, '')), bare: false };
  if (text.includes('/') || text.startsWith('.'))
    return { raw, name: fileProject((text.split(';')[0] ?? '').trim()), bare: false };
  // A file name alone is a file to pip when it ends as an archive does, extras and markers apart
  // (pip's parse_req_from_line and _get_url_from_path): `pip install black-24.1.0-py3-none-any.whl`.
  const path = (text.split(';')[0] ?? '').trim();
  if (ARCHIVE.test(path.replace(/\[[^\]]+\]$/, ''))) return { raw, name: fileProject(path), bare: false };
  const match = NAME.exec(text);
  if (!match) return { raw, bare: false };
  return { raw, name: normalizeName(match[1] as string), bare: (match[2] as string).trim() === '' };
}
