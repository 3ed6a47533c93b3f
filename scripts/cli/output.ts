/**
 * What commands print. With `--json` a command writes exactly one JSON document to
 * standard output; otherwise short lines meant for a person. Warnings, errors and progress
 * always go to standard error, so standard output stays parseable.
 */

/** The verdict on one step of a verification. */
export type StepVerdictText = "ok" | "failed" | "not checked" | "not anchored";

/** One step of a verification as commands print it. */
export interface StepReport {
  readonly step: string;
  readonly verdict: StepVerdictText;
  readonly detail: string;
  /** The error code of a failed step. */
  readonly code?: string;
}

/** Where a command writes. */
export interface Output {
  /** True when the command must print one JSON document instead of lines. */
  readonly json: boolean;
  /** Writes lines for a person (ignored in JSON mode). */
  lines(lines: readonly string[]): void;
  /** Writes the command's JSON document (only in JSON mode). */
  document(doc: unknown): void;
  /** Writes one line to standard error, prefixed with the program's name. */
  warn(message: string): void;
}

/** An {@link Output} on the process's standard streams. */
export function processOutput(json: boolean): Output {
  return {
    json,
    lines(lines) {
      if (!json && lines.length > 0) process.stdout.write(lines.join("\n") + "\n");
    },
    document(doc) {
      if (json) process.stdout.write(JSON.stringify(doc, null, 2) + "\n");
    },
    warn(message) {
      process.stderr.write(`anchorlog: ${message}\n`);
    },
  };
}

/** Prints `doc` in JSON mode, or the lines `human()` makes otherwise. */
export function report(out: Output, doc: unknown, human: () => readonly string[]): void {
  if (out.json) out.document(doc);
  else out.lines(human());
}

/** Formats steps as aligned lines: verdict, step name, detail (and code when failed). */
export function formatSteps(steps: readonly StepReport[], indent = "  "): string[] {
  const verdictWidth = Math.max(...steps.map((s) => s.verdict.length), 2);
  const stepWidth = Math.max(...steps.map((s) => s.step.length), 4);
  return steps.map((s) => {
    const code = s.code === undefined ? "" : ` [${s.code}]`;
    const verdict = s.verdict.padEnd(verdictWidth);
    return `${indent}${verdict}  ${s.step.padEnd(stepWidth)}  ${s.detail}${code}`;
  });
}

/** A hash shortened for lines a person reads: the first 16 hex digits. */
export function shortHash(hex: string): string {
  const clean = hex.replace(/^0x/, "");
  return clean.length > 16 ? `${clean.slice(0, 16)}…` : clean;
}
