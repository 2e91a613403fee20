// Git's index file (.git/index), read as data: which paths a repository tracks, without running
// git, which would read the repository's own config and could run the programs it names
// (core.fsmonitor, issue 21). Pure: bytes in, paths or a problem out. Versions 2, 3 and 4 (4
// compresses each path against the one before), sparse directories, and a split index with its
// shared index; SHA-1 and SHA-256 repositories. Anything else, or anything that does not add
// up (a checksum, a length, an unknown required extension), is a problem: the caller then cannot
// tell, and must not guess. The format: git's Documentation/gitformat-index.txt, read-cache.c.
import { createHash } from 'node:crypto';

export interface GitIndex {
  version: number;
  // The entries' paths, in order ('' for an entry that replaces one of the shared index's).
  paths: string[];
  // The trailing checksum, hex (a shared index is named by it).
  checksum: string;
  // A split index: the shared index it builds on (hex), and the positions there deleted and
  // replaced.
  link?: { shared: string; deleted: number[]; replaced: number[] };
}

export type Problem = { problem: string };

const HASHES = [
  { name: 'sha1', size: 20 },
  { name: 'sha256', size: 32 },
] as const;

// git's extensions that an index cannot be read without (lower-case first letter): the others
// ('A'..'Z') are caches a reader may pass over.
const REQUIRED = new Set(['link', 'sdir']);

class Bytes {
  at = 0;
  constructor(
    readonly data: Uint8Array,
    readonly end: number,
  ) {}
  need(n: number, what: string): void {
    if (this.at + n > this.end) throw new IndexProblem(`it ends inside ${what}`);
  }
  u16(): number {
    this.need(2, 'an entry');
    const v = (this.data[this.at] as number) * 256 + (this.data[this.at + 1] as number);
    this.at += 2;
    return v;
  }
  u32(what = 'an entry'): number {
    this.need(4, what);
    const d = this.data;
    const v =
      (d[this.at] as number) * 2 ** 24 +
      (((d[this.at + 1] as number) << 16) | ((d[this.at + 2] as number) << 8) | (d[this.at + 3] as number));
    this.at += 4;
    return v;
  }
  // git's offset varint (varint.c): 7 bits a byte, each continuation adding one.
  varint(): number {
    this.need(1, 'a path');
    let c = this.data[this.at++] as number;
    let value = c & 127;
    while (c & 128) {
      this.need(1, 'a path');
      c = this.data[this.at++] as number;
      value = (value + 1) * 128 + (c & 127);
      if (value > 2 ** 32) throw new IndexProblem('a path length is out of range');
    }
    return value;
  }
  // Bytes up to a NUL (not included), as UTF-8 (git's paths are bytes; those that are no UTF-8
  // only need to compare equal to themselves here).
  cstring(): Uint8Array {
    const nul = this.data.indexOf(0, this.at);
    if (nul < 0 || nul >= this.end) throw new IndexProblem('it ends inside a path');
    const bytes = this.data.subarray(this.at, nul);
    this.at = nul + 1;
    return bytes;
  }
}

class IndexProblem extends Error {}

const decoder = new TextDecoder();
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

// The hash the index was written with: its trailing checksum is that hash of the rest; an
// all-zero one (index.skipHash) says nothing, so both are tried. Returns the candidates.
function hashesOf(data: Uint8Array): { size: number; checksum: Uint8Array }[] | Problem {
  const found: { size: number; checksum: Uint8Array }[] = [];
  for (const { name, size } of HASHES) {
    if (data.length < 12 + size) continue;
    const checksum = data.subarray(data.length - size);
    const body = data.subarray(0, data.length - size);
    if (checksum.every((byte) => byte === 0)) found.push({ size, checksum });
    else if (createHash(name).update(body).digest().equals(checksum)) return [{ size, checksum }];
  }
  return found.length > 0
    ? found
    : { problem: 'its checksum does not match its content (a damaged or partly written index)' };
}

// The paths of the entries, and the split index's link, reading `count` entries from `bytes`.
function readEntries(bytes: Bytes, version: number, count: number, hashSize: number): string[] {
  const paths: string[] = [];
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 0; i < count; i++) {
    const start = bytes.at;
    bytes.need(40 + hashSize + 2, 'an entry');
    bytes.at += 40 + hashSize;
    const flags = bytes.u16();
    if (flags & 0x4000) {
      if (version < 3) throw new IndexProblem('a version 2 index has an entry with extended flags');
      const extended = bytes.u16();
      // git itself stops at bits it does not know (read-cache.c: CE_EXTENDED_FLAGS).
      if (extended & ~0x6000) throw new IndexProblem('an entry has flags this version of git never writes');
    }
    let name: Uint8Array;
    if (version === 4) {
      const strip = bytes.varint();
      if (strip > previous.length) throw new IndexProblem('a path strips more than the path before it has');
      const suffix = bytes.cstring();
      name = new Uint8Array(previous.length - strip + suffix.length);
      name.set(previous.subarray(0, previous.length - strip));
      name.set(suffix, previous.length - strip);
    } else {
      name = bytes.cstring();
      // 1 to 8 NULs pad the entry to a multiple of 8 bytes (the NUL read above is the first).
      const size = (bytes.at - 1 - start + 8) & ~7;
      bytes.need(start + size - bytes.at, 'an entry');
      bytes.at = start + size;
    }
    const length = flags & 0xfff;
    if (length !== 0xfff && length !== name.length)
      throw new IndexProblem('an entry’s path length does not match its path');
    paths.push(decoder.decode(name));
    previous = name;
  }
  return paths;
}

// EWAH bitmap (git's ewah/ewah_io.c, ewah_each_bit): the positions of the set bits, and the
// number of bytes it took.
function readBitmap(data: Uint8Array, at: number, end: number): { positions: number[]; size: number } {
  const bytes = new Bytes(data, end);
  bytes.at = at;
  const bits = bytes.u32('a bitmap');
  const words = bytes.u32('a bitmap');
  bytes.need(words * 8 + 4, 'a bitmap');
  const word = (i: number) => {
    const base = bytes.at + i * 8;
    const view = new DataView(data.buffer, data.byteOffset + base, 8);
    return { hi: view.getUint32(0), lo: view.getUint32(4) };
  };
  const positions: number[] = [];
  let position = 0;
  for (let i = 0; i < words; ) {
    // A run-length word: its bit, how many words of it, how many literal words follow.
    const { hi, lo } = word(i++);
    const run = (lo >>> 1) + (hi & 1) * 2 ** 31;
    const literals = hi >>> 1;
    if (position + (run + literals) * 64 > bits + 63)
      throw new IndexProblem('a bitmap is longer than its size');
    if (lo & 1) for (let k = 0; k < run * 64; k++) positions.push(position + k);
    position += run * 64;
    if (i + literals > words) throw new IndexProblem('a bitmap is cut short');
    for (let l = 0; l < literals; l++, i++) {
      const { hi: h, lo: w } = word(i);
      for (let k = 0; k < 32; k++) if ((w >>> k) & 1) positions.push(position + k);
      for (let k = 0; k < 32; k++) if ((h >>> k) & 1) positions.push(position + 32 + k);
      position += 64;
    }
  }
  bytes.at += words * 8;
  bytes.u32('a bitmap');
  if (positions.some((p) => p >= bits)) throw new IndexProblem('a bitmap has bits beyond its size');
  return { positions, size: bytes.at - at };
}

function readLink(data: Uint8Array, at: number, end: number, hashSize: number): GitIndex['link'] {
  if (end - at < hashSize) throw new IndexProblem('its link extension is too short');
  const shared = hex(data.subarray(at, at + hashSize));
  if (end - at === hashSize) return { shared, deleted: [], replaced: [] };
  const deleted = readBitmap(data, at + hashSize, end);
  const replaced = readBitmap(data, at + hashSize + deleted.size, end);
  if (at + hashSize + deleted.size + replaced.size !== end)
    throw new IndexProblem('its link extension has bytes after its bitmaps');
  return { shared, deleted: deleted.positions, replaced: replaced.positions };
}

function parseWith(data: Uint8Array, hashSize: number, checksum: Uint8Array): GitIndex {
  const end = data.length - hashSize;
  const bytes = new Bytes(data, end);
  if (decoder.decode(data.subarray(0, 4)) !== 'DIRC')
    throw new IndexProblem('it is not a git index (no DIRC)');
  bytes.at = 4;
  const version = bytes.u32('its header');
  if (version < 2 || version > 4)
    throw new IndexProblem(`it is index version ${version}, which pip-guard does not read`);
  const count = bytes.u32('its header');
  const paths = readEntries(bytes, version, count, hashSize);
  let link: GitIndex['link'];
  while (bytes.at < end) {
    bytes.need(8, 'an extension');
    const signature = decoder.decode(data.subarray(bytes.at, bytes.at + 4));
    bytes.at += 4;
    const size = bytes.u32('an extension');
    bytes.need(size, 'an extension');
    if (signature === 'link') link = readLink(data, bytes.at, bytes.at + size, hashSize);
    else if (!/^[A-Z]/.test(signature) && !REQUIRED.has(signature))
      throw new IndexProblem(
        `it has an extension pip-guard does not know and git requires (${JSON.stringify(signature)})`,
      );
    bytes.at += size;
  }
  return { version, paths, checksum: hex(checksum), ...(link ? { link } : {}) };
}

// The index in `data`, or what is wrong with it.
export function parseIndex(data: Uint8Array): GitIndex | Problem {
  if (data.length < 12) return { problem: 'it is too short to be a git index' };
  const hashes = hashesOf(data);
  if ('problem' in hashes) return hashes;
  let first: Problem | undefined;
  for (const { size, checksum } of hashes) {
    try {
      return parseWith(data, size, checksum);
    } catch (error) {
      if (!(error instanceof IndexProblem)) throw error;
      first ??= { problem: error.message };
    }
  }
  return first as Problem;
}

// The paths a split index stands for, with the shared index it names (git's merge_base_index):
// the shared index's entries, less those deleted, each replaced one keeping its path, then the
// split index's own new entries.
export function mergeShared(split: GitIndex, shared: GitIndex): string[] | Problem {
  const link = split.link;
  if (!link) return split.paths;
  if (shared.checksum !== link.shared) return { problem: 'its shared index is not the one it names' };
  const outOfRange = [...link.deleted, ...link.replaced].some((p) => p >= shared.paths.length);
  if (outOfRange || link.replaced.length > split.paths.length)
    return { problem: 'its link extension does not fit its shared index' };
  const replacements = split.paths.slice(0, link.replaced.length);
  const added = split.paths.slice(link.replaced.length);
  if (replacements.some((path) => path !== '') || added.some((path) => path === ''))
    return { problem: 'its link extension does not fit its entries' };
  const deleted = new Set(link.deleted);
  return [...shared.paths.filter((_, i) => !deleted.has(i)), ...added];
}

// Whether the index's paths track `rel` (a path relative to the repository's top, with `/`):
// the path itself (a file, a link, a submodule), anything under it, or a sparse directory that
// holds it, whose contents the index does not list (then it cannot tell: 'maybe').
export function tracks(paths: readonly string[], rel: string): 'yes' | 'no' | 'maybe' {
  const dir = `${rel}/`;
  let answer: 'no' | 'maybe' = 'no';
  for (const path of paths) {
    if (path === rel || path === dir || path.startsWith(dir)) return 'yes';
    // A sparse directory entry ends with '/'.
    if (path.endsWith('/') && dir.startsWith(path)) answer = 'maybe';
  }
  return answer;
}
