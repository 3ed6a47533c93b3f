/**
 * Capped exponential backoff: the n-th consecutive failure waits `initialMs · 2^(n-1)`,
 * never more than `maxMs`; a success starts over. Deterministic, without jitter: one worker
 * retries against one endpoint, so there is no herd of clients to spread out.
 */
export class Backoff {
  readonly initialMs: number;

  readonly maxMs: number;

  private _failures = 0;

  /** Throws RangeError unless `0 < initialMs <= maxMs`, both safe integers. */
  constructor(initialMs: number, maxMs: number) {
    if (!Number.isSafeInteger(initialMs) || initialMs < 1) {
      throw new RangeError(`initialMs must be a positive integer, got ${initialMs}`);
    }
    if (!Number.isSafeInteger(maxMs) || maxMs < initialMs) {
      throw new RangeError(`maxMs must be an integer of at least initialMs, got ${maxMs}`);
    }

    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** Consecutive failures since the last success. */
  get failures(): number {
    return this._failures;
  }

  /** Counts a failure and returns how long to wait before the next attempt. */
  fail(): number {
    this._failures++;

    // Past 2^40 the product would only be capped anyway; stopping there keeps it exact.
    const doublings = Math.min(this._failures - 1, 40);
    return Math.min(this.maxMs, this.initialMs * 2 ** doublings);
  }

  /** Counts a success: the next failure waits `initialMs` again. */
  succeed(): void {
    this._failures = 0;
  }
}
