// What a pip requirement argument names, as far as pipx needs to know: the project (PEP 503
// normalised, to compare with what pipx has) and whether it is a bare name.

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

export function parseRequirement(raw: string): Requirement {
  const text = raw.trim();
  // `name @ url` (PEP 508 direct reference) names the project.
  const direct = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*@\s*\S/.exec(text);
  if (direct) return { raw, name: normalizeName(direct[1] as string), bare: false };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text) || text.includes('/') || text.startsWith('.')) {
    // A wheel file says its project in its name (name-version-…whl); a directory or URL does not.
    const wheel = /([^/]+?)-[^-/]+(?:-[^-/]+)?-[^-/]+-[^-/]+-[^-/]+\.whl$/.exec(text);
    return { raw, name: wheel ? normalizeName(wheel[1] as string) : undefined, bare: false };
  }
  const match = NAME.exec(text);
  if (!match) return { raw, bare: false };
  return { raw, name: normalizeName(match[1] as string), bare: (match[2] as string).trim() === '' };
}
