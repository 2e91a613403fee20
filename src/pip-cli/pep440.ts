// Versions as PEP 440 orders them, for the pips pip-guard compares (facts/pip-version.ts).

// PEP 440 as pip numbers its releases (23.0.1, 24.2, 25.1b1, 26.0.dev0, 24.0.post1): a key
// that sorts X.devN < XaN < XbN < XrcN < X < X.postN; undefined for any other form.
function versionKey(version: string): { release: number[]; rest: number[] } | undefined {
  const m = /^v?(\d+(?:\.\d+)*)(?:(a|b|rc)(\d+))?(?:\.post(\d+))?(?:\.dev(\d+))?$/.exec(version.trim());
  if (!m) return undefined;
  const [, release, pre, preN, post, dev] = m;
  const phase = pre ? ['a', 'b', 'rc'].indexOf(pre) : dev !== undefined && post === undefined ? -1 : 3;
  return {
    release: (release as string).split('.').map(Number),
    rest: [
      phase,
      Number(preN ?? 0),
      post === undefined ? -1 : Number(post),
      dev === undefined ? Infinity : Number(dev),
    ],
  };
}

// -1, 0 or 1 as version `a` is older than, the same as, or newer than `b`; undefined when
// either is not a version pip-guard can order.
export function compareVersions(a: string, b: string): number | undefined {
  const [x, y] = [versionKey(a), versionKey(b)];
  if (!x || !y) return undefined;
  const length = Math.max(x.release.length, y.release.length);
  const pad = (r: number[]) => [...r, ...Array(length - r.length).fill(0)];
  const [p, q] = [
    [...pad(x.release), ...x.rest],
    [...pad(y.release), ...y.rest],
  ];
  const at = p.findIndex((n, i) => n !== q[i]);
  return at === -1 ? 0 : (p[at] as number) < (q[at] as number) ? -1 : 1;
}
