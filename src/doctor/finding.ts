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
