/**
 * Print bytes the way `curl -v` does, but exact: each line is prefixed (`> ` sent,
 * `< ` received) and its line ending is written out, so `\r\n` (what HTTP requires in the
 * head) and a bare `\n` (common inside bodies) look different. Bytes that are not
 * printable text are shown as `\xNN`.
 */
export class LinePrinter {
  private pending: Buffer = Buffer.alloc(0);

  constructor(
    private readonly prefix: string,
    private readonly write: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    this.pending = Buffer.concat([this.pending, chunk]);
    let newline = this.pending.indexOf(0x0a);
    while (newline !== -1) {
      this.write(this.prefix + showLine(this.pending.subarray(0, newline + 1)));
      this.pending = this.pending.subarray(newline + 1);
      newline = this.pending.indexOf(0x0a);
    }
  }

  /** Print what is left (a last line without a line ending). */
  flush(): void {
    if (this.pending.length > 0)
      this.write(this.prefix + showLine(this.pending) + '   (no line ending)');
    this.pending = Buffer.alloc(0);
  }
}

export function showLine(line: Buffer): string {
  let end = line.length;
  let ending = '';
  if (line[end - 1] === 0x0a) {
    end--;
    ending = '\\n';
    if (line[end - 1] === 0x0d) {
      end--;
      ending = '\\r\\n';
    }
  }
  const content = line.subarray(0, end);
  const text = content.toString('utf8');
  // Valid UTF-8 without control characters prints as text; anything else byte by byte.
  // eslint-disable-next-line no-control-regex
  const printable = !text.includes('\uFFFD') && !/[\x00-\x08\x0b-\x1f\x7f]/.test(text);
  const shown = printable
    ? text
    : [...content]
        .map((b) =>
          b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`,
        )
        .join('');
  return shown + ending;
}
