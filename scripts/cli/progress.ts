/**
 * A progress bar on standard error for work that takes more than a second. It appears only
 * once a second has passed, only when standard error is a terminal, and never touches
 * standard output, so scripts and `--json` consumers see nothing of it.
 */
import { SingleBar } from "cli-progress";

/** Progress of one piece of work. */
export interface Progress {
  /** Sets how much is done (and the total, when it became known). */
  update(done: number, total?: number): void;
  /** Removes the bar; call it whatever the outcome. */
  stop(): void;
}

const DELAY_MS = 1_000;

/**
 * Starts tracking work named `label` of `total` units (0 when unknown). The bar is drawn at
 * the first update after one second.
 */
export function startProgress(label: string, total = 0): Progress {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };

  const startedMs = Date.now();
  let bar: SingleBar | undefined;
  let max = total;
  return {
    update(done, newTotal) {
      if (newTotal !== undefined) max = newTotal;
      if (bar === undefined) {
        if (Date.now() - startedMs < DELAY_MS) return;
        bar = new SingleBar({
          stream: process.stderr,
          format:
            max > 0
              ? `${label} [{bar}] {percentage}% {value}/{total} {eta_formatted}`
              : `${label} {value}`,
          hideCursor: true,
          clearOnComplete: true,
        });
        bar.start(max, done);
        return;
      }
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}
