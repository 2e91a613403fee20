import { describe, expect, it } from 'vitest';
import { renderShim } from '../../../src/install/shims.js';

describe('renderShim', () => {
  it('fills every placeholder of shims/pip.sh', () => {
    for (const viaNode of [false, true]) {
      expect(renderShim('1.2.3', ['/opt/pip guard/pip-guard'], viaNode)).not.toMatch(/@[A-Z_]+@/);
    }
  });

  it("runs pip-guard by the words given, quoted for sh, and a bundle's Node without NODE_EXTRA_CA_CERTS", () => {
    const binary = renderShim('1.2.3', ['/opt/pip guard/pip-guard']);
    expect(binary).toContain('# pip-guard shim 1.2.3:');
    expect(binary).toContain('exec \'/opt/pip guard/pip-guard\' --pip-guard-shim "$name" "$real" "$@"');
    expect(binary).not.toContain('NODE_EXTRA_CA_CERTS');
    expect(renderShim('1.2.3', ['/usr/bin/node', '/b/pip-guard.cjs'], true)).toContain(
      'unset NODE_EXTRA_CA_CERTS',
    );
  });

  it('reads PIP_GUARD_DISABLE with the words strtobool takes, in any case', () => {
    const shim = renderShim('1.2.3', ['/p']);
    expect(shim).toContain("  ''|0|[Nn]|[Nn][Oo]|[Ff]|[Ff][Aa][Ll][Ss][Ee]|[Oo][Ff][Ff]) aside= ;;\n");
    expect(shim).toContain('  1|[Yy]|[Yy][Ee][Ss]|[Tt]|[Tt][Rr][Uu][Ee]|[Oo][Nn]) aside=1 ;;\n');
  });
});
