// Types for embedded-node.mjs, which the tests import to find the Node the binary embeds.
export interface PinnedNode {
  package: string;
  version: string;
  integrity: string;
}
export const ROOT: string;
export const CACHE: string;
export const DEFAULT_PLATFORM: string;
export const PLATFORMS: Record<string, PinnedNode>;
export function platformPackage(platform: string): PinnedNode;
export function cachedNodePath(platform?: string): string;
export function embeddedNode(platform?: string, log?: (message: string) => void): Promise<string>;
