// Types for macho.mjs, which the release tests use to check the macOS binaries.
export interface Signature {
  cpu: string;
  signed: boolean;
  fileSize: number;
  adhoc?: boolean;
  identifier?: string;
  pages?: number;
  badPages?: number;
  codeLimit?: number;
  blobs?: number;
}
export const CPU: Record<number, string>;
export function readSignature(file: string): Signature;
export function signAdHoc(file: string, identifier: string): void;
