/**
 * `anchorlog backup --out <file>`: a consistent snapshot of the store. With `--url` it
 * streams every record through the running service's admin route, which reads them from one
 * store iterator (a snapshot); with `--data-dir` it reads a stopped service's store
 * directly. Either way the file carries a header of each tenant's checkpoint and the latest
 * anchored epoch, then the records, then a digest (see ./backup-format).
 */
import { Readable } from "node:stream";
import { createInterface } from "node:readline";
import type { ReadableStream as WebReadableStream } from "node:stream/web";

import { decodeRecord, type BackupHeader, type StoreRecord } from "./backup-format";
import { writeBackup } from "./backup-writer";
import { openStore, storePath } from "./data-dir";
import { CliError, EXIT } from "./errors";
import { joinUrl, request } from "./http-client";
import { report, shortHash, type Output } from "./output";
import { startProgress } from "./progress";

/** Options of {@link runBackup}. */
export interface BackupOptions {
  readonly out: string;
  readonly url?: string;
  readonly adminKey?: string;
  readonly dataDir?: string;
}

/**
 * Writes the backup and prints its header. Resolves with 0.
 *
 * @throws CliError for bad usage, an unreachable or refusing service, a truncated stream,
 *   or a store in use.
 */
export async function runBackup(opts: BackupOptions, out: Output): Promise<number> {
  if ((opts.url === undefined) === (opts.dataDir === undefined)) {
    throw new CliError("CLI_USAGE", "give either --url (service running) or --data-dir (stopped)");
  }

  const progress = startProgress("backing up records");
  let header: BackupHeader;
  try {
    const onProgress = (n: number) => progress.update(n);
    if (opts.dataDir !== undefined) {
      const store = await openStore(storePath(opts.dataDir));
      try {
        const records = store.entries({ gte: "", lt: "\uffff" });
        header = await writeBackup(records, opts.out, { source: "data-dir", onProgress });
      } finally {
        await store.close();
      }
    } else {
      if (opts.adminKey === undefined) {
        throw new CliError("CLI_USAGE", "give --admin-key or set ANCHORLOG_ADMIN_KEY");
      }
      const url = joinUrl(opts.url!, "/v1/admin/backup");
      const response = await request(url, { key: opts.adminKey });
      header = await writeBackup(serviceRecords(response), opts.out, {
        source: "service",
        onProgress,
      });
    }
  } finally {
    progress.stop();
  }

  report(out, { ok: true, file: opts.out, header }, () => [
    `backup written to ${opts.out}: ${header.records} records`,
    ...header.tenants.map(
      (t) =>
        `  ${t.id}: size ${t.size}, root ${shortHash(t.rootHash)}` +
        (t.anchoredSize === undefined ? "" : `, anchored up to size ${t.anchoredSize}`),
    ),
    header.anchored === null
      ? "  no anchored epoch recorded"
      : `  latest anchored epoch ${header.anchored.epoch} on chain ${header.anchored.chainId}`,
  ]);
  return EXIT.ok;
}

/**
 * The records of the service's backup stream; throws CLI_BAD_FORMAT when the stream ends
 * without its closing line (the service stopped mid-way) or counts differently.
 */
async function* serviceRecords(response: Response): AsyncGenerator<StoreRecord> {
  if (response.body === null) throw new CliError("CLI_API_ERROR", "the backup answer is empty");
  const input = Readable.fromWeb(response.body as unknown as WebReadableStream);

  let count = 0;
  let lineNo = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNo++;
    if (line.startsWith("{")) {
      const end = JSON.parse(line) as { end?: boolean; records?: number };
      if (end.end !== true || end.records !== count) {
        throw new CliError(
          "CLI_BAD_FORMAT",
          `the backup stream ended badly after ${count} records`,
        );
      }
      return;
    }
    count++;
    yield decodeRecord(line, lineNo);
  }
  throw new CliError("CLI_BAD_FORMAT", `the backup stream was cut off after ${count} records`);
}
