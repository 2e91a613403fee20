// What `pip-guard doctor` reports: sections of findings, where every problem carries its fix.
export type Status = 'ok' | 'note' | 'problem';

export interface Finding {
  status: Status;
  text: string;
  // What to do about it: every problem has one.
  fix?: string;
}

export interface Section {
  id: string;
  title: string;
  findings: Finding[];
}

export const ok = (text: string): Finding => ({ status: 'ok', text });
export const note = (text: string): Finding => ({ status: 'note', text });
export const problem = (text: string, fix: string): Finding => ({ status: 'problem', text, fix });

const MARK = { ok: '✓', note: '·', problem: '✗' } as const;

// A section as doctor prints it: its title, then each finding with its fix.
export function sectionLines(s: Section): string[] {
  const lines = [s.title];
  for (const f of s.findings) {
    lines.push(`  ${MARK[f.status]} ${f.text}`);
    if (f.fix) lines.push(`    fix: ${f.fix}`);
  }
  return lines;
}
