/**
 * Writes a backup file (format in ./backup-format) from a stream of store records taken
 * from one snapshot. The records go to a scratch file first while the few records the
 * header is derived from are kept aside; then header, records and trailer are written to
 * a temporary file that is renamed into place, so a failed backup never leaves a file that
 * looks whole.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";

import { fromUtf8, toHex } from "../../ledger/verify/bytes";
import { parseCheckpoint } from "../../ledger/verify/checkpoint";
import { EMPTY_ROOT } from "../../ledger/verify/hash";
import { parseNote } from "../../ledger/verify/note";
import { anchoredSizes, latestAnchoredEpoch } from "./anchor-view";
import {
  BACKUP_FORMAT,
  encodeRecord,
  type BackupHeader,
  type BackupTenant,
  type BackupTrailer,
  type StoreRecord,
} from "./backup-format";
import { MemoryStore } from "./memory-store";

/** Options of {@link writeBackup}. */
export interface WriteBackupOptions {
  readonly source: BackupHeader["source"];
  /** Called with the number of records written so far. */
  readonly onProgress?: (records: number) => void;
}

// The records a header is derived from: tenant records, log states, anchor bookkeeping.
const HEADER_KEYS = /^(tenant\/|t\/[^/]+\/state$|anchor\/(state$|epoch\/|tenant\/))/;

/**
 * Writes every record of `records` to a backup at `outPath` and returns its header. The
 * records must come from one consistent snapshot, in key order.
 */
export async function writeBackup(
  records: AsyncIterable<StoreRecord>,
  outPath: string,
  opts: WriteBackupOptions,
): Promise<BackupHeader> {
  const scratch = `${outPath}.${process.pid}.records`;
  const partial = `${outPath}.${process.pid}.partial`;
  try {
    const { count, kept } = await spool(records, scratch, opts.onProgress);
    const header = await deriveHeader(kept, count, opts.source);
    await assemble(header, scratch, partial);
    renameSync(partial, outPath);
    return header;
  } finally {
    rmSync(scratch, { force: true });
    rmSync(partial, { force: true });
  }
}

async function spool(
  records: AsyncIterable<StoreRecord>,
  path: string,
  onProgress?: (records: number) => void,
): Promise<{ count: number; kept: MemoryStore }> {
  const out = createWriteStream(path);
  const kept = new MemoryStore();
  let count = 0;
  try {
    for await (const record of records) {
      await writeLine(out, encodeRecord(record));
      if (HEADER_KEYS.test(record[0])) kept.set(record[0], record[1]);
      count++;
      if (count % 1024 === 0) onProgress?.(count);
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  onProgress?.(count);
  return { count, kept };
}

async function assemble(header: BackupHeader, scratch: string, path: string): Promise<void> {
  const digest = createHash("sha256");
  const out = createWriteStream(path);

  const headerLine = `${JSON.stringify(header)}\n`;
  digest.update(headerLine);
  await writeChunk(out, headerLine);
  for await (const chunk of createReadStream(scratch)) {
    digest.update(chunk as Buffer);
    await writeChunk(out, chunk as Buffer);
  }
  const trailer: BackupTrailer = {
    end: BACKUP_FORMAT,
    records: header.records,
    sha256: digest.digest("hex"),
  };
  await writeChunk(out, `${JSON.stringify(trailer)}\n`);
  out.end();
  await once(out, "close");
}

/** The header of a snapshot whose header records are in `kept`. */
export async function deriveHeader(
  kept: MemoryStore,
  records: number,
  source: BackupHeader["source"],
): Promise<BackupHeader> {
  const anchored = await anchoredSizes(kept);

  const tenants: BackupTenant[] = [];
  for await (const [, value] of kept.entries({ gte: "tenant/", lt: "tenant0" })) {
    const record = JSON.parse(fromUtf8(value)) as { id: string; origin: string };
    const stateBytes = await kept.get(`t/${record.id}/state`);
    const state = stateBytes
      ? (JSON.parse(fromUtf8(stateBytes)) as { size: number; checkpoint: string | null })
      : { size: 0, checkpoint: null };
    const root =
      state.checkpoint === null
        ? toHex(EMPTY_ROOT)
        : toHex(parseCheckpoint(parseNote(state.checkpoint).text).rootHash);
    const anchoredSize = anchored.get(record.id)?.size;
    tenants.push({
      id: record.id,
      origin: record.origin,
      size: state.size,
      rootHash: root,
      ...(anchoredSize === undefined ? {} : { anchoredSize }),
    });
  }

  return {
    format: BACKUP_FORMAT,
    createdMs: Date.now(),
    source,
    records,
    tenants,
    anchored: (await latestAnchoredEpoch(kept)) ?? null,
  };
}

function writeLine(out: WriteStream, line: string): Promise<void> {
  return writeChunk(out, `${line}\n`);
}

async function writeChunk(out: WriteStream, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, "drain");
}
