/**
 * The service's data folder as the offline commands (fsck, restore, backup --data-dir) see
 * it: `db/` holds the LevelDB store and `keys/` the master key and signing seed the service
 * created (see api/startup/secrets). These commands read the key files and never create
 * them: a missing key is the operator's to restore from its own backup.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

import { keysDir } from "../../api/startup/secrets";
import { Ledger } from "../../ledger/ledger";
import type { KvStore } from "../../ledger/store/kv-store";
import { openLevelStore } from "../../ledger/store/level-store";
import { CliError, oneLine } from "./errors";

/** The two key files of a data folder. */
export interface DataDirSecrets {
  readonly masterKey: Uint8Array;
  readonly signingSeed: Uint8Array;
}

/**
 * Origins are kept in each tenant's record, so this prefix only matters to tenants created
 * through the opened ledger, which offline commands never do.
 */
const OFFLINE_ORIGIN_PREFIX = "localhost/anchorlog";

/** The LevelDB folder of a data folder. */
export function storePath(dataDir: string): string {
  return join(dataDir, "db");
}

/** True when `dataDir` holds a store with at least one file in it. */
export function hasStore(dataDir: string): boolean {
  const path = storePath(dataDir);
  return existsSync(path) && readdirSync(path).length > 0;
}

/**
 * Reads keys/master.key and keys/signing.key of `dataDir`.
 *
 * @throws CliError CLI_SECRETS_MISSING naming the file that is missing or malformed.
 */
export function readSecrets(dataDir: string): DataDirSecrets {
  const read = (name: string): Uint8Array => {
    const path = join(keysDir(dataDir), name);
    let text: string;
    try {
      text = readFileSync(path, "utf8");
    } catch (err) {
      throw new CliError(
        "CLI_SECRETS_MISSING",
        `cannot read ${path}: copy the service's key files into ${keysDir(dataDir)} first`,
        { cause: err },
      );
    }
    if (!/^[0-9a-f]{64}\n?$/.test(text)) {
      throw new CliError("CLI_SECRETS_MISSING", `${path} does not hold 64 hex digits`);
    }
    return Buffer.from(text.trim(), "hex");
  };
  return { masterKey: read("master.key"), signingSeed: read("signing.key") };
}

/**
 * Opens the LevelDB store at `path` for an offline command.
 *
 * @throws CliError CLI_STORE_IN_USE when another process (the running service) holds it,
 *   CLI_FILE_MISSING when there is no store.
 */
export async function openStore(path: string, mustExist = true): Promise<KvStore> {
  if (mustExist && !(existsSync(path) && readdirSync(path).length > 0)) {
    throw new CliError("CLI_FILE_MISSING", `no store at ${path}`);
  }
  try {
    return await openLevelStore(path);
  } catch (err) {
    throw storeError(path, err);
  }
}

/**
 * Opens the ledger over `store` with the data folder's keys, which checks every tenant's log
 * against its latest signed checkpoint. The ledger does not own `store`.
 *
 * Throws the ledger's errors (LEDGER_STORE_DAMAGED, LEDGER_BAD_KEY) for a damaged store or
 * keys of another store.
 */
export function openLedgerOn(store: KvStore, secrets: DataDirSecrets): Promise<Ledger> {
  return Ledger.open({
    store,
    masterKey: secrets.masterKey,
    signingSeed: secrets.signingSeed,
    originPrefix: OFFLINE_ORIGIN_PREFIX,
  });
}

function storeError(path: string, err: unknown): CliError {
  let locked = false;
  for (let e = err as { cause?: unknown; code?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "LEVEL_LOCKED") locked = true;
  }
  if (locked) {
    return new CliError(
      "CLI_STORE_IN_USE",
      `the store at ${path} is in use: stop the service first (or back up through --url)`,
      { cause: err },
    );
  }
  return new CliError("CLI_FILE_MISSING", `cannot open the store at ${path}: ${oneLine(err)}`, {
    cause: err,
  });
}
