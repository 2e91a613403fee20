// The code signature of a 64-bit Mach-O executable, read and written without a Mac: what
// macOS checks before it runs a binary (on Apple silicon it runs nothing unsigned, and kills a
// process whose pages do not hash as its signature says). An ad-hoc signature is a
// CodeDirectory alone: the SHA-256 of every 4096-byte page up to the signature, no certificate
// (the form ld64 writes as "linker-signed", and Bun for darwin-arm64). Formats: Apple's
// cs_blobs.h (xnu osfmk/kern/cs_blobs.h), the same layout as Go's cmd/internal/codesign.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';

const MH_MAGIC_64 = 0xfeedfacf;
const LC_SEGMENT_64 = 0x19;
const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CS_ADHOC = 0x2;
const CS_LINKER_SIGNED = 0x20000;
const CS_EXECSEG_MAIN_BINARY = 0x1;
const CS_HASHTYPE_SHA256 = 2;
const PAGE = 4096;
export const CPU = { 16777223: 'x86_64', 16777228: 'arm64' };

// The header's CPU, the segments, and the LC_CODE_SIGNATURE command, with their offsets.
function parse(bytes, file) {
  if (bytes.readUInt32LE(0) !== MH_MAGIC_64) throw new Error(`${file} is not a 64-bit Mach-O file`);
  const result = { cpu: CPU[bytes.readUInt32LE(4)] ?? 'unknown', segments: [], signature: undefined };
  let at = 32;
  for (let i = 0, count = bytes.readUInt32LE(16); i < count; i++) {
    const cmd = bytes.readUInt32LE(at);
    if (cmd === LC_SEGMENT_64) {
      result.segments.push({
        at,
        name: bytes.toString('latin1', at + 8, at + 24).replace(/\0+$/, ''),
        vmsize: Number(bytes.readBigUInt64LE(at + 32)),
        fileoff: Number(bytes.readBigUInt64LE(at + 40)),
        filesize: Number(bytes.readBigUInt64LE(at + 48)),
      });
    }
    if (cmd === LC_CODE_SIGNATURE) {
      result.signature = { at, dataoff: bytes.readUInt32LE(at + 8), datasize: bytes.readUInt32LE(at + 12) };
    }
    at += bytes.readUInt32LE(at + 4);
  }
  return result;
}

const pageHash = (bytes, index, limit) =>
  createHash('sha256')
    .update(bytes.subarray(index * PAGE, Math.min((index + 1) * PAGE, limit)))
    .digest();

// What a file's signature says and whether its page hashes match the file as it is now:
// { cpu, signed, adhoc, identifier, pages, badPages, codeLimit, fileSize }.
export function readSignature(file) {
  const bytes = readFileSync(file);
  const { cpu, signature } = parse(bytes, file);
  const found = { cpu, signed: false, fileSize: bytes.length };
  if (!signature) return found;
  const blob = bytes.subarray(signature.dataoff, signature.dataoff + signature.datasize);
  if (blob.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) return found;
  for (let i = 0, count = blob.readUInt32BE(8); i < count; i++) {
    const offset = blob.readUInt32BE(16 + 8 * i);
    if (blob.readUInt32BE(offset) !== CSMAGIC_CODEDIRECTORY) continue;
    const cd = blob.subarray(offset);
    const flags = cd.readUInt32BE(12);
    const hashOffset = cd.readUInt32BE(16);
    const identOffset = cd.readUInt32BE(20);
    const pages = cd.readUInt32BE(28);
    const codeLimit = cd.readUInt32BE(32);
    const hashSize = cd.readUInt8(36);
    let badPages = 0;
    for (let page = 0; page < pages; page++) {
      const recorded = cd.subarray(hashOffset + page * hashSize, hashOffset + (page + 1) * hashSize);
      if (!pageHash(bytes, page, codeLimit).subarray(0, hashSize).equals(recorded)) badPages++;
    }
    return {
      ...found,
      signed: true,
      adhoc: Boolean(flags & CS_ADHOC),
      identifier: cd.toString('latin1', identOffset, cd.indexOf(0, identOffset)),
      pages,
      badPages,
      codeLimit,
      // Blobs beyond the CodeDirectory: a certificate's (CMS) among them means not ad hoc.
      blobs: count,
    };
  }
  return found;
}

// Replaces FILE's signature with an ad-hoc one for IDENTIFIER, as ld64 signs what it links:
// the signature stays where it was, at the end of __LINKEDIT and of the file.
export function signAdHoc(file, identifier) {
  let bytes = readFileSync(file);
  const { segments, signature } = parse(bytes, file);
  const linkedit = segments.find((segment) => segment.name === '__LINKEDIT');
  const text = segments.find((segment) => segment.name === '__TEXT');
  if (!signature || !linkedit || !text || linkedit.fileoff + linkedit.filesize < signature.dataoff) {
    throw new Error(`${file} has no code signature at the end of __LINKEDIT to replace`);
  }
  const codeLimit = signature.dataoff;
  const pages = Math.ceil(codeLimit / PAGE);
  const ident = Buffer.from(`${identifier}\0`, 'latin1');
  const header = 88; // a version 0x20400 CodeDirectory, up to execSegFlags
  const cdLength = header + ident.length + pages * 32;
  const superLength = 20 + cdLength;
  const datasize = Math.ceil(superLength / 16) * 16;

  // The load commands first, since the first page's hash covers them.
  bytes = Buffer.concat([bytes.subarray(0, codeLimit), Buffer.alloc(datasize)]);
  bytes.writeUInt32LE(datasize, signature.at + 12);
  const linkeditSize = codeLimit + datasize - linkedit.fileoff;
  bytes.writeBigUInt64LE(BigInt(linkeditSize), linkedit.at + 48); // filesize
  const vmsize = Math.ceil(linkeditSize / PAGE) * PAGE;
  if (vmsize > linkedit.vmsize) bytes.writeBigUInt64LE(BigInt(vmsize), linkedit.at + 32);

  const blob = bytes.subarray(codeLimit);
  blob.writeUInt32BE(CSMAGIC_EMBEDDED_SIGNATURE, 0);
  blob.writeUInt32BE(superLength, 4);
  blob.writeUInt32BE(1, 8);
  blob.writeUInt32BE(0, 12); // CSSLOT_CODEDIRECTORY
  blob.writeUInt32BE(20, 16);
  const cd = blob.subarray(20);
  cd.writeUInt32BE(CSMAGIC_CODEDIRECTORY, 0);
  cd.writeUInt32BE(cdLength, 4);
  cd.writeUInt32BE(0x20400, 8);
  cd.writeUInt32BE(CS_ADHOC | CS_LINKER_SIGNED, 12);
  cd.writeUInt32BE(header + ident.length, 16); // hashOffset
  cd.writeUInt32BE(header, 20); // identOffset
  cd.writeUInt32BE(0, 24); // nSpecialSlots
  cd.writeUInt32BE(pages, 28);
  cd.writeUInt32BE(codeLimit, 32);
  cd.writeUInt8(32, 36); // hashSize
  cd.writeUInt8(CS_HASHTYPE_SHA256, 37);
  cd.writeUInt8(0, 38); // platform
  cd.writeUInt8(12, 39); // log2 of the page size
  // spare2, scatterOffset, teamOffset, spare3 and codeLimit64 stay 0.
  cd.writeBigUInt64BE(BigInt(text.fileoff), 64); // execSegBase
  cd.writeBigUInt64BE(BigInt(text.filesize), 72); // execSegLimit
  cd.writeBigUInt64BE(BigInt(CS_EXECSEG_MAIN_BINARY), 80);
  ident.copy(cd, header);
  for (let page = 0; page < pages; page++)
    pageHash(bytes, page, codeLimit).copy(cd, header + ident.length + page * 32);
  writeFileSync(file, bytes, { mode: 0o755 });
}
