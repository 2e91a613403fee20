import { describe, expect, it } from 'vitest';
import { strtobool } from '../../../src/base/yes-no.js';

describe('strtobool', () => {
  it.each([
    ['1', true],
    ['Yes', true],
    ['ON', true],
    ['t', true],
    ['0', false],
    ['No', false],
    ['off', false],
    ['F', false],
    ['maybe', undefined],
    ['', undefined],
  ])('%j is %s', (value, answer) => {
    expect(strtobool(value)).toBe(answer);
  });
});
