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
    // A file name alone is a file to pip when it ends as an archive does (pip's _get_url_from_path):
    // a wheel names its project in its first part (PEP 427: `-` in the name is written `_`).
    ['black-24.1.0-py3-none-any.whl', 'black', false],
    ['Demo_App-1.0-py3-none-any.whl', 'demo-app', false],
    ['demo.app-1.0-1-cp311-cp311-manylinux_2_17_x86_64.whl', 'demo-app', false],
    // pip takes .WHL for an archive, but only .whl for a wheel (its Link.is_wheel).
    ['BLACK-24.1.0-PY3-NONE-ANY.WHL', undefined, false],
    ['black-24.1.0-py3-none-any.whl[d]', 'black', false],
    ['black-24.1.0-py3-none-any.whl ; python_version > "3"', 'black', false],
    ['wheels/black-24.1.0-py3-none-any.whl', 'black', false],
    ['https://example.com/black-24.1.0-py3-none-any.whl#sha256=00ff', 'black', false],
    // Not a wheel's name (pip itself refuses it): no project pip-guard could name.
    ['black.whl', undefined, false],
    ['black-24.1.0.whl', undefined, false],
    // An sdist's name does not say where its project's name ends (black-cli-1.0 or black-cli-1.0?).
    ['black-24.1.0.tar.gz', undefined, false],
    ['demo-1.0.zip', undefined, false],
    ['demo-1.0.tgz', undefined, false],
    // Versions and names that only look like files are still requirements.
    ['black==24.1.0', 'black', false],
    ['zip', 'zip', true],
  ])('%s names %s (bare: %s)', (raw, name, bare) => {
    expect(parseRequirement(raw)).toEqual({ raw, ...(name === undefined ? {} : { name }), bare });
  });
});
