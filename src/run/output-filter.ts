// Passes a child's stderr through as it comes, except for one message it may end with (pip's
// PEP 668 refusal, pipx's "No apps associated"): from that message's first line on, output is
// held back until the child exits, then dropped if pip-guard acts on the message instead.
// Works on latin1 strings so that every byte, in any encoding, goes out as it came in.

export const PIP_REFUSAL = 'error: externally-managed-environment';
export const PIPX_NO_APPS = 'No apps associated with package';

// Colours (when the child's stderr is a terminal) may wrap any part of the line.
const ANSI = '(?:\\x1b\\[[0-9;]*m)*';
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI colours
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;]*m?/g, '');
const literal = (char: string) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class OutputFilter {
  private readonly start: RegExp;
  private pending = '';
  private held: string[] | undefined;

  constructor(
    private readonly firstLine: string,
    private readonly write: (bytes: Buffer) => void,
  ) {
    this.start = new RegExp(`(^|\\n)${ANSI}${[...firstLine].map(literal).join(ANSI)}`);
  }

  get sawMessage(): boolean {
    return this.held !== undefined;
  }

  push(chunk: Buffer): void {
    if (this.held) {
      this.held.push(chunk.toString('latin1'));
      return;
    }
    const text = this.pending + chunk.toString('latin1');
    this.pending = '';
    const match = this.start.exec(text);
    if (match) {
      const at = match.index + (match[1] as string).length;
      this.out(text.slice(0, at));
      this.held = [text.slice(at)];
      return;
    }
    const lineStart = text.lastIndexOf('\n') + 1;
    const tail = text.slice(lineStart);
    if (this.couldStart(tail)) {
      this.out(text.slice(0, lineStart));
      this.pending = tail;
    } else {
      this.out(text);
    }
  }

  // The child has exited: drop the message, or let through whatever was held.
  end(dropMessage: boolean): void {
    const rest = this.pending + (dropMessage ? '' : (this.held ?? []).join(''));
    this.pending = '';
    this.out(rest);
  }

  // Could this unfinished line still turn into the message's first line?
  private couldStart(tail: string): boolean {
    if (tail === '') return false;
    return this.firstLine.startsWith(stripAnsi(tail)) || (tail.startsWith('\x1b') && tail.length < 64);
  }

  private out(text: string): void {
    if (text) this.write(Buffer.from(text, 'latin1'));
  }
}
