// Yes and no as pip reads them from its options and variables. Pure.

// The spellings of yes and no that pip's strtobool accepts (whatever their case), so that
// PIP_GUARD_* read like PIP_* do; the shim's `case` patterns are made from them (install/shims.ts).
export const YES = ['1', 'y', 'yes', 't', 'true', 'on'] as const;
export const NO = ['0', 'n', 'no', 'f', 'false', 'off'] as const;
const TRUE = new Set<string>(YES);
const FALSE = new Set<string>(NO);

// pip's strtobool: true, false, or undefined for anything else.
export function strtobool(value: string): boolean | undefined {
  const v = value.toLowerCase();
  return TRUE.has(v) ? true : FALSE.has(v) ? false : undefined;
}
