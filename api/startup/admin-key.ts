/**
 * The first operator credential. Either the operator configures one (ANCHORLOG_ADMIN_KEY),
 * or, when the store has no active operator key at all, one is generated and written to
 * <dataDir>/keys/admin.key (mode 0600). Later starts leave existing keys alone.
 */
import { join } from "node:path";

import { ApiKeyStore, generateApiKey } from "../../ledger/tenancy/api-keys";
import { ConfigError } from "./config-error";
import { ensurePrivateDir, writePrivateFile } from "./secrets";

/** How the operator credential was settled at start. */
export type AdminKeyOutcome =
  | { source: "configured"; keyId: string }
  | { source: "generated"; keyId: string; path: string }
  | { source: "existing"; activeOperatorKeys: number };

/**
 * Makes sure an operator can authenticate: adopts `configured` when given, otherwise
 * generates a key if no active operator key exists. Never returns or logs a key.
 *
 * @throws ConfigError when the configured key was revoked or clashes with another key.
 */
export async function bootstrapAdminKey(
  keys: ApiKeyStore,
  opts: { dataDir: string; configured?: string },
): Promise<AdminKeyOutcome> {
  if (opts.configured !== undefined) {
    let info;
    try {
      info = await keys.adopt(opts.configured, {
        tenant: null,
        scopes: ["admin"],
        label: "from ANCHORLOG_ADMIN_KEY",
      });
    } catch (err) {
      throw new ConfigError("ANCHORLOG_ADMIN_KEY clashes with another stored key", { cause: err });
    }
    if (info.revokedMs !== undefined) {
      throw new ConfigError(`ANCHORLOG_ADMIN_KEY (id ${info.id}) was revoked; configure a new key`);
    }
    return { source: "configured", keyId: info.id };
  }

  const active = keys.list(null).filter((k) => k.revokedMs === undefined);
  if (active.length > 0) return { source: "existing", activeOperatorKeys: active.length };

  // The file is written before the key is stored: a crash in between leaves no active key,
  // so the next start simply generates again, and the operator is never locked out.
  const key = generateApiKey();
  const path = join(ensurePrivateDir(opts.dataDir), "admin.key");
  writePrivateFile(path, `${key}\n`);
  const info = await keys.adopt(key, { tenant: null, scopes: ["admin"], label: "generated" });
  return { source: "generated", keyId: info.id, path };
}
