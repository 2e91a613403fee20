// The values the policy keys take (apart from schema.ts, so that reading them costs no valibot).
export const POLICIES = ['auto', 'venv', 'pipx', 'prompt', 'block', 'break', 'off'] as const;
export const PACKAGE_POLICIES = ['venv', 'pipx', 'block', 'break'] as const;
export const NON_INTERACTIVE = ['auto', 'venv', 'pipx', 'block', 'break', 'off'] as const;

// The policies under which a package may go to pipx (auto: a known app; prompt: the answer).
export const PIPX_POLICIES: readonly string[] = ['auto', 'pipx', 'prompt'];

export type ConfigPolicy = (typeof POLICIES)[number];
export type PackagePolicy = (typeof PACKAGE_POLICIES)[number];
