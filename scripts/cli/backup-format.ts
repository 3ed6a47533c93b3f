/**
 * The backup file format, "anchorlog-backup/v1": UTF-8 text, one JSON value per line.
 *
 *   line 1      header: format, creation time, record count, each tenant's checkpoint
 *               (size and root) and the latest confirmed anchored epoch, if any
 *   next lines  one store record each: ["<key>", "<base64 value>"], in key order
 *   last line   trailer: {"end": format, "records": count, "sha256": hex}
 *
 * The trailer's digest is SHA-256 over every byte before it (header and record lines, each
 * with its "\n"), so a truncated or edited file is refused before anything is restored.
 * The header is derived from the records themselves, so it describes exactly the snapshot.
 */
import { fromBase64, toBase64 } from "../../ledger/verify/bytes";
import type { AnchoredEpoch } from "./anchor-view";
import { CliError } from "./errors";

/** The format this code writes and reads. */
export const BACKUP_FORMAT = "anchorlog-backup/v1";

/** One tenant's log as the snapshot holds it. */
export interface BackupTenant {
  readonly id: string;
  readonly origin: string;
  readonly size: number;
  /** Root hash of the checkpoint of `size` leaves, hex. */
  readonly rootHash: string;
  /** The largest size anchored in a confirmed epoch, when one was. */
  readonly anchoredSize?: number;
}

/** The first line of a backup. */
export interface BackupHeader {
  readonly format: typeof BACKUP_FORMAT;
  readonly createdMs: number;
  /** Where the records were read: through the running service, or from a stopped store. */
  readonly source: "service" | "data-dir";
  readonly records: number;
  readonly tenants: readonly BackupTenant[];
  /** The newest confirmed epoch the store recorded, or null when none was. */
  readonly anchored: AnchoredEpoch | null;
}

/** The last line of a backup. */
export interface BackupTrailer {
  readonly end: typeof BACKUP_FORMAT;
  readonly records: number;
  readonly sha256: string;
}

/** One store record. */
export type StoreRecord = readonly [key: string, value: Uint8Array];

/** The line (without "\n") of one record. */
export function encodeRecord([key, value]: StoreRecord): string {
  return JSON.stringify([key, toBase64(value)]);
}

/**
 * Decodes a record line.
 *
 * @throws CliError CLI_BAD_FORMAT naming the line number.
 */
export function decodeRecord(line: string, lineNo: number): StoreRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw bad(lineNo, "is not JSON");
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== "string" ||
    typeof parsed[1] !== "string"
  ) {
    throw bad(lineNo, 'is not a ["key", "base64 value"] record');
  }
  try {
    return [parsed[0], fromBase64(parsed[1])];
  } catch {
    throw bad(lineNo, "has a value that is not base64");
  }
}

/**
 * Checks a header line.
 *
 * @throws CliError CLI_BAD_FORMAT for another format or version, or a malformed header.
 */
export function decodeHeader(line: string): BackupHeader {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(line) as Record<string, unknown>;
  } catch {
    throw bad(1, "is not JSON: this is not an anchorlog backup");
  }
  if (typeof doc !== "object" || doc === null || doc.format !== BACKUP_FORMAT) {
    const seen = typeof doc === "object" && doc !== null ? JSON.stringify(doc.format) : "none";
    throw new CliError(
      "CLI_BAD_FORMAT",
      `backup format ${seen} is not ${BACKUP_FORMAT}: this version cannot read it`,
    );
  }
  if (!Number.isSafeInteger(doc.records) || !Array.isArray(doc.tenants)) {
    throw bad(1, "lacks the record count or the tenant list");
  }
  return doc as unknown as BackupHeader;
}

/** Parses the trailer line, or returns undefined when `line` is not one. */
export function decodeTrailer(line: string): BackupTrailer | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const doc = JSON.parse(line) as BackupTrailer;
    return doc.end === BACKUP_FORMAT ? doc : undefined;
  } catch {
    return undefined;
  }
}

function bad(lineNo: number, why: string): CliError {
  return new CliError("CLI_BAD_FORMAT", `backup line ${lineNo} ${why}`);
}
