// Types for embedded-node.mjs, which the tests import to find the Node that runs the bundle.
export const ROOT: string;
export const CACHE: string;
export function cachedNodePath(): string;
export function embeddedNode(log?: (message: string) => void): Promise<string>;
