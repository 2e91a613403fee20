// JSON syntax errors located by pip-guard itself, the same under Node and Bun; each case is
// also checked against JSON.parse, so that no valid text is called broken and no broken one valid.
import { describe, expect, it } from 'vitest';
import { jsonProblem } from '../../../src/config/json-problem.js';

const cases: [string, string, ReturnType<typeof jsonProblem>][] = [
  ['valid', '{ "policy": "venv", "packages": { "a": ["b", 1, -2.5e3, true, null] } }\n', undefined],
  ['valid, escapes', '"\\u00e9\\n\\"\\\\"', undefined],
  [
    'a trailing comma',
    '{ "policy": "venv", }',
    { message: 'Expected double-quoted property name', line: 1, column: 21 },
  ],
  [
    'a single-quoted name',
    "{\n  'policy': 1\n}",
    { message: 'Expected double-quoted property name', line: 2, column: 3 },
  ],
  [
    'a missing colon',
    '{"policy" "venv"}',
    { message: "Expected ':' after property name", line: 1, column: 11 },
  ],
  [
    'a missing comma',
    '{\n"a": 1\n"b": 2}',
    { message: "Expected ',' or '}' after property value", line: 3, column: 1 },
  ],
  [
    'an array without its comma',
    '[1 2]',
    { message: "Expected ',' or ']' after array element", line: 1, column: 4 },
  ],
  ['a bare word', '{"policy": venv}', { message: 'Unexpected "v"', line: 1, column: 12 }],
  [
    'a cut-off file',
    '{"policy": "venv"',
    { message: "Expected ',' or '}' after property value", line: 1, column: 18 },
  ],
  ['an empty file', '', { message: 'Unexpected end of the file', line: 1, column: 1 }],
  ['an unterminated string', '{"policy": "venv}', { message: 'Unterminated string', line: 1, column: 12 }],
  ['a bad escape', '"a\\x"', { message: 'Bad escape in a string', line: 1, column: 3 }],
  ['a tab in a string', '"a\tb"', { message: 'Bad control character in a string', line: 1, column: 3 }],
  ['text after the value', '{}\n{}', { message: 'Unexpected text after the JSON value', line: 2, column: 1 }],
  ['a leading zero', '[01]', { message: "Expected ',' or ']' after array element", line: 1, column: 3 }],
];

describe('jsonProblem', () => {
  it.each(cases)('%s', (_, text, expected) => {
    expect(jsonProblem(text)).toEqual(expected);
    let parsed = true;
    try {
      JSON.parse(text);
    } catch {
      parsed = false;
    }
    expect(parsed).toBe(expected === undefined);
  });
});
