import { describe, expect, it } from 'vitest';
import { OutputFilter, PIP_REFUSAL, PIPX_NO_APPS } from '../../../src/run/output-filter.js';

const REFUSAL = 'error: externally-managed-environment\n\n× This environment is externally managed\n';

function filtered(chunks: string[], drop: boolean): string {
  let out = '';
  const filter = new OutputFilter(PIP_REFUSAL, (bytes) => {
    out += bytes.toString('utf8');
  });
  for (const chunk of chunks) filter.push(Buffer.from(chunk, 'utf8'));
  filter.end(drop && filter.sawMessage);
  return out;
}

describe('OutputFilter', () => {
  it('passes ordinary output through unchanged', () => {
    expect(filtered(['WARNING: one\n', 'two ', 'three\n'], true)).toBe('WARNING: one\ntwo three\n');
  });

  it('drops the refusal and keeps what came before it', () => {
    expect(filtered([`WARNING: first\n${REFUSAL}`], true)).toBe('WARNING: first\n');
  });

  it('finds the refusal split across chunks', () => {
    expect(filtered(['WARNING: x\nerror: externally-', 'managed-environment\n', 'more\n'], true)).toBe(
      'WARNING: x\n',
    );
  });

  it('finds the refusal in colour', () => {
    expect(filtered(['\x1b[1;31merror\x1b[0m: externally-managed-environment\n'], true)).toBe('');
  });

  it('lets the held text out when pip did not refuse after all', () => {
    expect(filtered([REFUSAL], false)).toBe(REFUSAL);
  });

  it('does not hold a line that only looks similar', () => {
    expect(filtered(['error: something else\n'], true)).toBe('error: something else\n');
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const bytes = Buffer.from('╰─> ok\n', 'utf8');
    let out = Buffer.alloc(0);
    const filter = new OutputFilter(PIP_REFUSAL, (b) => {
      out = Buffer.concat([out, b]);
    });
    filter.push(bytes.subarray(0, 2));
    filter.push(bytes.subarray(2));
    filter.end(false);
    expect(out.toString('utf8')).toBe('╰─> ok\n');
  });

  it('holds pipx’s "No apps" message the same way', () => {
    let out = '';
    const filter = new OutputFilter(PIPX_NO_APPS, (bytes) => {
      out += bytes.toString('utf8');
    });
    filter.push(Buffer.from('creating virtual environment...\ninstalling demo...\nNo apps assoc'));
    filter.push(Buffer.from('iated with package demo or its\ndependencies.\n'));
    filter.end(filter.sawMessage);
    expect(out).toBe('creating virtual environment...\ninstalling demo...\n');
  });
});
