// The progress line on stderr: only on a TTY, only once a scan has run longer than a moment, cleared before any output.
import type { ScanProgress } from '../run.js';

/** Where the line goes: a TTY stream (process.stderr) or a test double. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export interface ProgressOptions {
  /** Show nothing before this many milliseconds (default 2000): quick scans stay silent. */
  delayMs?: number;
  /** At most one redraw per this many milliseconds (default 100). */
  intervalMs?: number;
  now?: () => number;
}

const PHASES: Record<ScanProgress['phase'], string> = {
  discover: 'listing files',
  parse: 'parsing',
  model: 'building the cross-service model',
  rules: 'running rules',
  report: 'summarising',
};

/** The line for one progress state: `jwtfrag: parsing 1,204/5,000 files (24%)`. */
function progressLine(state: ScanProgress, seconds: number): string {
  let text = `jwtfrag: ${PHASES[state.phase]}`;
  if (state.phase === 'parse' && state.total !== undefined) {
    const done = state.done ?? 0;
    const percent = state.total === 0 ? 100 : Math.floor((done * 100) / state.total);
    text += ` ${done.toLocaleString('en-US')}/${state.total.toLocaleString('en-US')} files (${percent}%)`;
  }
  return `${text} · ${seconds}s`;
}

/** A progress indicator that draws only on a TTY and only after `delayMs`; `stop()` erases it. */
export class Progress {
  private state: ScanProgress = { phase: 'discover' };
  private drawn = false;
  private lastDraw = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private readonly started: number;
  private readonly delayMs: number;
  private readonly intervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly stream: ProgressStream,
    private readonly enabled: boolean,
    options: ProgressOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
    this.delayMs = options.delayMs ?? 2000;
    this.intervalMs = options.intervalMs ?? 100;
    if (this.active) {
      // Draw once the delay is over even when no event comes then (one long phase).
      this.timer = setTimeout(() => this.draw(true), this.delayMs);
      this.timer.unref();
    }
  }

  private get active(): boolean {
    return this.enabled && this.stream.isTTY === true;
  }

  /** Records the current phase (and parse counts) and redraws when due. */
  update(state: ScanProgress): void {
    const phaseChanged = state.phase !== this.state.phase;
    this.state = state;
    if (this.active) this.draw(phaseChanged);
  }

  private draw(force: boolean): void {
    const now = this.now();
    if (now - this.started < this.delayMs) return;
    if (!force && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    // A pty without a size reports 0 columns: assume 80 then.
    const columns = this.stream.columns !== undefined && this.stream.columns >= 20 ? this.stream.columns : 80;
    const width = columns - 1;
    const line = progressLine(this.state, Math.floor((now - this.started) / 1000)).slice(0, width);
    this.stream.write(`\r\x1b[2K${line}`);
    this.drawn = true;
  }

  /** Erases the line (if one was drawn) and stops the timer. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
