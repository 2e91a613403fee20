// Policy prompt's one question, on the terminal (stderr, so that pip's stdout stays pip's).
import { isCancel, select } from '@clack/prompts';
import type { Plan, PromptPlan } from '../plan.js';

// The plan the person chose, or undefined when they cancelled.
export async function ask(plan: PromptPlan): Promise<Plan | undefined> {
  const value = await select({
    message: plan.question,
    options: plan.choices.map((choice) => ({ value: choice.value, label: choice.label })),
    initialValue: plan.initial,
    input: process.stdin,
    output: process.stderr,
  });
  if (isCancel(value)) return undefined;
  return plan.choices.find((choice) => choice.value === value)?.plan;
}
