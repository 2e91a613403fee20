import { describe, expect, it } from 'vitest';
import { normalizeName, parseRequirement } from '../../../src/pip-cli/requirement.js';

describe('normalizeName', () => {
  it.each([
    ['Demo_App', 'demo-app'],
    ['demo.app', 'demo-app'],
    ['demo--__..app', 'demo-app'],
    ['REQUESTS', 'requests'],
  ])('%s is %s (PEP 503)', (name, normal) => {
    expect(normalizeName(name)).toBe(normal);
  });
});

describe('parseRequirement', () => {
  it.each([
    ['black', 'black', true],
    ['Black==24.1', 'black', false],
    ['black[d]>=23', 'black', false],
    ['black ; python_version > "3.8"', 'black', false],
    ['demo @ https://example.com/demo.whl', 'demo', false],
    ['demo[x] @ file:///w/demo.whl', 'demo', false],
    ['./wheels/Demo_App-1.0-py3-none-any.whl', 'demo-app', false],
    ['./src/project', undefined, false],
    ['https://example.com/archive.tar.gz', undefined, false],
  ])('%s names %s (bare: %s)', (raw, name, bare) => {
    expect(parseRequirement(raw)).toEqual({ raw, ...(name === undefined ? {} : { name }), bare });
  });
});
