/**
 * A progress bar on stderr for long runs: redrawn in place with `\r` on a terminal, one final line otherwise
 * (when forced on a pipe), nothing when off.
 */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export class ProgressBar {
  private drawn = -1;
  private readonly started = Date.now();

  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly stream: ProgressStream,
    private readonly live: boolean,
  ) {}

  /** `mode`: 'auto' draws on a terminal only; true draws anyway (a final line when not a terminal); false never. */
  static create(
    total: number,
    label: string,
    mode: boolean | 'auto',
    stream: ProgressStream = process.stderr,
  ): ProgressBar | null {
    if (mode === false || (mode === 'auto' && stream.isTTY !== true)) return null;
    return new ProgressBar(total, label, stream, stream.isTTY === true);
  }

  private line(done: number): string {
    const width = 30;
    const filled = this.total === 0 ? width : Math.round((done / this.total) * width);
    const percent = this.total === 0 ? 100 : Math.floor((done / this.total) * 100);
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    return `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} ${percent}% ${seconds}s`;
  }

  update(done: number): void {
    if (!this.live) return;
    const percent = Math.floor((done / Math.max(1, this.total)) * 100);
    if (percent === this.drawn) return;
    this.drawn = percent;
    this.stream.write(`\r${this.line(done)}`);
  }

  finish(): void {
    this.stream.write(`${this.live ? '\r' : ''}${this.line(this.total)}\n`);
  }
}
