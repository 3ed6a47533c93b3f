/**
 * The monitor's memory between runs: the last checkpoint it verified (the signed note
 * itself, so it can be shown as evidence later) and the last anchor it checked. Written
 * atomically, and only after a run found nothing wrong.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

import { CliError, oneLine } from "./errors";

/** The state file format this code writes and reads. */
export const MONITOR_STATE_FORMAT = "anchorlog-monitor-state/v1";

/** The last anchored checkpoint the monitor checked against the chain. */
export interface MonitorAnchor {
  readonly size: number;
  readonly epoch: number;
  readonly epochRoot: string;
}

/** What the monitor keeps. */
export interface MonitorState {
  readonly format: typeof MONITOR_STATE_FORMAT;
  readonly origin: string;
  /** The last verified checkpoint's signed note. */
  readonly checkpoint: string;
  readonly size: number;
  /** Its root hash, hex. */
  readonly rootHash: string;
  readonly checkedAtMs: number;
  readonly anchor?: MonitorAnchor;
}

/**
 * The state in `path`, or undefined when the file does not exist yet (the first run).
 *
 * @throws CliError CLI_BAD_JSON or CLI_BAD_FORMAT for a file that is not a state of this
 *   version.
 */
export function readMonitorState(path: string): MonitorState | undefined {
  if (!existsSync(path)) return undefined;

  let doc: Partial<MonitorState>;
  try {
    doc = JSON.parse(readFileSync(path, "utf8")) as Partial<MonitorState>;
  } catch (err) {
    throw new CliError("CLI_BAD_JSON", `state file ${path} is not JSON: ${oneLine(err)}`);
  }
  if (doc.format !== MONITOR_STATE_FORMAT) {
    throw new CliError(
      "CLI_BAD_FORMAT",
      `state file ${path} has format ${JSON.stringify(doc.format)}, not ${MONITOR_STATE_FORMAT}`,
    );
  }
  if (typeof doc.checkpoint !== "string" || typeof doc.origin !== "string") {
    throw new CliError("CLI_BAD_FORMAT", `state file ${path} lacks its checkpoint`);
  }
  return doc as MonitorState;
}

/** Replaces the state in `path` (write to a temporary file, then rename). */
export function writeMonitorState(path: string, state: MonitorState): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2) + "\n");
  renameSync(tmp, path);
}
