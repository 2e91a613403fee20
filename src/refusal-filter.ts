// Passes pip's stderr through as it comes, except pip's PEP 668 refusal: from the line
// `error: externally-managed-environment` on, output is held back until pip exits, and
// dropped if pip did refuse (pip-guard then does what the user meant instead).
// Works on latin1 strings so that every byte, in any encoding, goes out as it came in.

// Colours (when pip's stderr is a terminal) may wrap the word "error".
const ANSI = '(?:\\x1b\\[[0-9;]*m)*';
const REFUSAL = new RegExp(`(^|\\n)${ANSI}error${ANSI}: externally-managed-environment`);
const FIRST_LINE = 'error: externally-managed-environment';

// Could this unfinished line still turn into the refusal's first line?
function couldStart(tail: string): boolean {
  if (tail === '') return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
  const plain = tail.replace(/\x1b\[[0-9;]*m?/g, '');
  return FIRST_LINE.startsWith(plain) || (tail.startsWith('\x1b') && tail.length < 64);
}

export class RefusalFilter {
  private pending = '';
  private held: string[] | undefined;

  constructor(private readonly write: (bytes: Buffer) => void) {}

  get sawRefusal(): boolean {
    return this.held !== undefined;
  }

  push(chunk: Buffer): void {
    if (this.held) {
      this.held.push(chunk.toString('latin1'));
      return;
    }
    const text = this.pending + chunk.toString('latin1');
    this.pending = '';
    const match = REFUSAL.exec(text);
    if (match) {
      const start = match.index + (match[1] as string).length;
      this.out(text.slice(0, start));
      this.held = [text.slice(start)];
      return;
    }
    const lineStart = text.lastIndexOf('\n') + 1;
    const tail = text.slice(lineStart);
    if (couldStart(tail)) {
      this.out(text.slice(0, lineStart));
      this.pending = tail;
    } else {
      this.out(text);
    }
  }

  // pip has exited: drop the refusal, or let through whatever was held.
  end(dropRefusal: boolean): void {
    const rest = this.pending + (dropRefusal ? '' : (this.held ?? []).join(''));
    this.pending = '';
    this.out(rest);
  }

  private out(text: string): void {
    if (text) this.write(Buffer.from(text, 'latin1'));
  }
}
