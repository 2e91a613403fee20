// Where JSON text first goes wrong, and what is wrong there, found by pip-guard itself: a
// runtime's JSON.parse says it in its own words, with a position (Node: "in JSON at position
// 20") or without one (Bun: "JSON Parse error: Property name must be a string literal"), and a
// config file's error must name its line and column whichever runtime runs pip-guard.
// Strict JSON (RFC 8259), as JSON.parse takes it.

export interface JsonProblem {
  message: string;
  line: number;
  column: number;
}

class Found {
  constructor(
    readonly message: string,
    readonly offset: number,
  ) {}
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /["\\/bfnrt]|u[0-9a-fA-F]{4}/y;

function scan(text: string): void {
  let i = 0;
  const skip = () => {
    while (WHITESPACE.has(text[i] as string)) i++;
  };
  const unexpected = () =>
    new Found(i >= text.length ? 'Unexpected end of the file' : `Unexpected ${JSON.stringify(text[i])}`, i);
  const expect = (char: string, what: string) => {
    skip();
    if (text[i] !== char) throw new Found(what, i);
    i++;
  };
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= text.length) throw new Found('Unterminated string', start);
      const char = text.charCodeAt(i);
      if (char === 0x22) break;
      if (char < 0x20) throw new Found('Bad control character in a string', i);
      if (char === 0x5c) {
        ESCAPE.lastIndex = i + 1;
        if (!ESCAPE.test(text)) throw new Found('Bad escape in a string', i);
        i = ESCAPE.lastIndex;
      } else i++;
    }
    i++;
  };
  // A container: elements separated by commas up to `close`, none after the last.
  const items = (close: string, item: () => void, after: string) => {
    i++;
    skip();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skip();
      if (text[i] === close) break;
      if (text[i] !== ',') throw new Found(`Expected ',' or '${close}' after ${after}`, i);
      i++;
    }
    i++;
  };
  const value = (): void => {
    skip();
    const char = text[i];
    if (char === '{') {
      items(
        '}',
        () => {
          skip();
          if (text[i] !== '"') throw new Found('Expected double-quoted property name', i);
          string();
          expect(':', "Expected ':' after property name");
          value();
        },
        'property value',
      );
      return;
    }
    if (char === '[') {
      items(']', value, 'array element');
      return;
    }
    if (char === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) {
      i = NUMBER.lastIndex;
      return;
    }
    throw unexpected();
  };
  value();
  skip();
  if (i < text.length) throw new Found('Unexpected text after the JSON value', i);
}

// The first problem in TEXT, with its 1-based line and column; undefined when it is valid JSON.
export function jsonProblem(text: string): JsonProblem | undefined {
  try {
    scan(text);
    return undefined;
  } catch (error) {
    if (!(error instanceof Found)) throw error;
    const before = text.slice(0, error.offset);
    const line = before.split('\n').length;
    return { message: error.message, line, column: error.offset - before.lastIndexOf('\n') };
  }
}
