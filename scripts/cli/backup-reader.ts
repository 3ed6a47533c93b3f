/**
 * Reads and checks a backup file (format in ./backup-format) as a stream of lines, so a
 * large backup never has to fit in memory. The digest and record count are only known at
 * the end: callers that write records must read the file twice, checking it first.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";

import {
  decodeHeader,
  decodeRecord,
  decodeTrailer,
  type BackupHeader,
  type StoreRecord,
} from "./backup-format";
import { CliError, oneLine } from "./errors";

/**
 * Reads the backup at `path`, calling `onRecord` for each record in order, and checks the
 * header, the record count and the trailer's digest. Resolves with the header.
 *
 * @throws CliError CLI_FILE_MISSING when the file cannot be read, CLI_BAD_FORMAT for
 *   another format version, a malformed line, a missing trailer (a truncated file), a
 *   wrong record count or digest.
 */
export async function readBackup(
  path: string,
  onRecord?: (record: StoreRecord) => void | Promise<void>,
): Promise<BackupHeader> {
  const stream = createReadStream(path, { encoding: "utf8" });
  const opened = new Promise<void>((resolve, reject) => {
    stream.once("open", () => resolve());
    stream.once("error", reject);
  });
  try {
    await opened;
  } catch (err) {
    throw new CliError("CLI_FILE_MISSING", `cannot read backup ${path}: ${oneLine(err)}`, {
      cause: err,
    });
  }

  const digest = createHash("sha256");
  let header: BackupHeader | undefined;
  let count = 0;
  let lineNo = 0;
  let ended = false;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    lineNo++;
    if (ended) throw bad(`${path} has data after its trailer (line ${lineNo})`);
    if (header === undefined) {
      header = decodeHeader(line);
      digest.update(`${line}\n`);
      continue;
    }
    const trailer = decodeTrailer(line);
    if (trailer !== undefined) {
      const actual = digest.digest("hex");
      if (trailer.sha256 !== actual) throw bad(`${path}: digest ${actual} is not the trailer's`);
      if (trailer.records !== count || header.records !== count) {
        throw bad(`${path}: ${count} records, the header says ${header.records}`);
      }
      ended = true;
      continue;
    }
    const record = decodeRecord(line, lineNo);
    digest.update(`${line}\n`);
    count++;
    await onRecord?.(record);
  }

  if (header === undefined) throw bad(`${path} is empty`);
  if (!ended) throw bad(`${path} has no trailer: the backup is truncated`);
  return header;
}

function bad(message: string): CliError {
  return new CliError("CLI_BAD_FORMAT", message);
}
