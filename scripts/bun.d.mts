// Types for bun.mjs, which the tests import to find the pinned Bun and its platforms.
export const BUN_VERSION: string;
export const DEFAULT_PLATFORM: string;
export const PLATFORMS: Record<string, { package: string; target: string; integrity: string }>;
export const IGNORED_VARIABLES: string[];
export function cachedBunPath(platform?: string): string;
export function bunFor(platform: string, log?: (message: string) => void): Promise<string>;
