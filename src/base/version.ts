// pip-guard's version, from package.json at build time (scripts/build.mjs defines it).
declare const PIP_GUARD_VERSION: string;

export const VERSION: string = PIP_GUARD_VERSION;
