/**
 * `anchorlog restore <backup> --data-dir <dir>`: puts a backup back as the service's store.
 *
 * It refuses a backup that is behind what was already anchored, since restoring it would
 * roll logs back past checkpoints the chain holds and every monitor would rightly report a
 * rollback: per tenant, the backup's size must reach the largest anchored size the current
 * store recorded, and with `--rpc` the registry must hold no epoch newer than the backup's
 * latest (and the same root for that one). `--force` restores anyway and lists what is lost.
 *
 * The records are written to a fresh store beside the current one, which is opened with
 * Ledger.open (checking every log against its signed checkpoint) before it replaces the
 * current store; the replaced store is kept, renamed, never deleted.
 */
import { existsSync, renameSync, rmSync } from "node:fs";

import { LedgerError } from "../../ledger/errors";
import type { KvOp } from "../../ledger/store/kv-store";
import { toHex } from "../../ledger/verify/bytes";
import { anchoredSizes, latestAnchoredEpoch, type AnchoredEpoch } from "./anchor-view";
import type { BackupHeader } from "./backup-format";
import { readBackup } from "./backup-reader";
import { hasStore, openLedgerOn, openStore, readSecrets, storePath } from "./data-dir";
import { CliError, EXIT, oneLine } from "./errors";
import { report, type Output } from "./output";
import { startProgress } from "./progress";
import { openRegistryReader } from "./registry-reader";

/** Options of {@link runRestore}. */
export interface RestoreOptions {
  readonly dataDir: string;
  readonly rpc?: string;
  readonly registry?: string;
  readonly force?: boolean;
}

/** Anchored history a restore would lose. */
export interface Loss {
  readonly tenant: string;
  /** What was anchored: a tenant's size, or for the chain check the registry's epoch. */
  readonly anchoredSize?: number;
  readonly backupSize?: number;
  readonly detail: string;
}

const BATCH_RECORDS = 1000;

/**
 * Restores `file` into `opts.dataDir` and prints what happened. Resolves with 0 when
 * restored, 1 when refused or when the restored store does not verify.
 *
 * @throws CliError for a bad or truncated backup, missing key files, a store in use, or an
 *   unreachable chain.
 */
export async function runRestore(file: string, opts: RestoreOptions, out: Output): Promise<number> {
  const header = await readBackup(file);
  const secrets = readSecrets(opts.dataDir);

  const losses = [...(await storeLosses(opts.dataDir, header))];
  if (opts.rpc !== undefined) losses.push(...(await chainLosses(opts, header)));
  if (losses.length > 0 && !opts.force) {
    report(out, { ok: false, refused: true, losses }, () => [
      "REFUSED: the backup is behind anchored history; restoring it would lose:",
      ...losses.map((l) => `  ${l.detail}`),
      "Use a newer backup, or --force to restore anyway.",
    ]);
    return EXIT.failed;
  }

  const target = storePath(opts.dataDir);
  const fresh = `${target}.restoring-${process.pid}`;
  rmSync(fresh, { recursive: true, force: true });
  try {
    await writeRecords(file, fresh, header.records);
    const problem = await verifyRestored(fresh, secrets, header);
    if (problem !== undefined) {
      report(out, { ok: false, refused: false, problem }, () => [`NOT RESTORED: ${problem}`]);
      return EXIT.failed;
    }
  } catch (err) {
    rmSync(fresh, { recursive: true, force: true });
    throw err;
  }

  let replaced: string | null = null;
  if (existsSync(target)) {
    replaced = `${target}.replaced-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target, replaced);
  }
  renameSync(fresh, target);

  const doc = { ok: true, restored: header.records, tenants: header.tenants, replaced, losses };
  report(out, doc, () => [
    `restored ${header.records} records into ${target}`,
    ...header.tenants.map((t) => `  ${t.id}: size ${t.size}`),
    ...(replaced === null ? [] : [`the previous store was kept as ${replaced}`]),
    ...(losses.length > 0
      ? ["FORCED: anchored history was lost:", ...losses.map((l) => `  ${l.detail}`)]
      : []),
  ]);
  return EXIT.ok;
}

// Per tenant: the largest anchored size the current store recorded against the backup's.
async function storeLosses(dataDir: string, header: BackupHeader): Promise<Loss[]> {
  if (!hasStore(dataDir)) return [];
  const store = await openStore(storePath(dataDir));
  try {
    const anchored = await anchoredSizes(store);
    const losses: Loss[] = [];
    for (const a of anchored.values()) {
      const backupSize = header.tenants.find((t) => t.id === a.tenant)?.size ?? 0;
      if (backupSize >= a.size) continue;
      losses.push({
        tenant: a.tenant,
        anchoredSize: a.size,
        backupSize,
        detail:
          `${a.tenant}: anchored size ${a.size} (epoch ${a.epoch}), ` + `backup size ${backupSize}`,
      });
    }
    return losses;
  } finally {
    await store.close();
  }
}

// The registry must hold nothing newer than the backup's latest anchored epoch, and the
// same root for that one.
async function chainLosses(opts: RestoreOptions, header: BackupHeader): Promise<Loss[]> {
  const current = hasStore(opts.dataDir) ? await currentLatest(opts.dataDir) : undefined;
  const registry = opts.registry ?? header.anchored?.registry ?? current?.registry;
  if (registry === undefined) {
    throw new CliError("CLI_USAGE", "the backup names no registry: give --registry with --rpc");
  }

  const reader = await openRegistryReader(opts.rpc!, registry);
  try {
    const known =
      header.anchored !== null &&
      header.anchored.registry.toLowerCase() === reader.registry.toLowerCase() &&
      header.anchored.chainId === reader.chainId
        ? header.anchored
        : undefined;
    const latest = await reader.latestEpoch();
    const losses: Loss[] = [];
    const backupEpoch = known?.epoch ?? 0;
    if (latest > backupEpoch) {
      losses.push({
        tenant: "*",
        detail:
          `registry ${reader.registry} holds epochs up to ${latest}; the backup knows ` +
          `anchors up to epoch ${backupEpoch}: checkpoints anchored since would be lost`,
      });
    }
    if (known !== undefined && (await reader.epochRoot(known.epoch)) !== known.root) {
      losses.push({
        tenant: "*",
        detail: `the registry's root for epoch ${known.epoch} is not the backup's: another history`,
      });
    }
    return losses;
  } finally {
    reader.close();
  }
}

async function currentLatest(dataDir: string): Promise<AnchoredEpoch | undefined> {
  const store = await openStore(storePath(dataDir));
  try {
    return await latestAnchoredEpoch(store);
  } finally {
    await store.close();
  }
}

async function writeRecords(file: string, path: string, total: number): Promise<void> {
  const store = await openStore(path, false);
  const progress = startProgress("restoring records", total);
  let ops: KvOp[] = [];
  let done = 0;
  try {
    await readBackup(file, async ([key, value]) => {
      ops.push({ type: "put", key, value });
      if (ops.length < BATCH_RECORDS) return;
      await store.batch(ops, { sync: false });
      done += ops.length;
      ops = [];
      progress.update(done);
    });
    // The last batch is synced, which makes every earlier one durable too.
    await store.batch(ops, { sync: true });
  } finally {
    progress.stop();
    await store.close();
  }
}

// Opens the restored store as the service would and compares its logs with the header.
async function verifyRestored(
  path: string,
  secrets: ReturnType<typeof readSecrets>,
  header: BackupHeader,
): Promise<string | undefined> {
  const store = await openStore(path, false);
  try {
    let ledger;
    try {
      ledger = await openLedgerOn(store, secrets);
    } catch (err) {
      if (!(err instanceof LedgerError)) throw err;
      return `the restored store does not verify: ${oneLine(err)} [${err.code}]`;
    }
    try {
      for (const t of header.tenants) {
        const cp = ledger.getTenant(t.id) ? ledger.checkpoint(t.id) : undefined;
        if (cp === undefined || cp.size !== t.size || toHex(cp.rootHash) !== t.rootHash) {
          return `tenant ${t.id} restored at size ${cp?.size}, the header says ${t.size}`;
        }
      }
    } finally {
      await ledger.close();
    }
    return undefined;
  } finally {
    await store.close();
  }
}
