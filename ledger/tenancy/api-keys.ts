/**
 * API keys: bearer credentials naming a principal (the operator, or exactly one tenant) and
 * the scopes it holds. A key is shown once, as "al_<id>_<secret>"; the store keeps only a
 * SHA-256 digest of it, beside the logs in the "apikey/" key range:
 *
 *   apikey/<id>   key record (JSON): tenant, scopes, label, times, digest
 *
 * A secret carries 256 random bits, so a fast hash suffices: no password-style stretching is
 * needed when guessing is hopeless. Digests are compared in constant time.
 *
 * WARNING: records are cached in memory and the cache is the source of truth for
 * {@link ApiKeyStore.verify}. That is right for one process per store (LevelDB allows only
 * one). Several processes on a shared store would need the cache refreshed on every change,
 * e.g. by a change feed of the shared database.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import { KvStore } from "../store/kv-store";
import { fromUtf8, utf8 } from "../verify/bytes";
import { checkTenantId } from "./tenant-id";

/** Every scope a key can hold. `admin` on a tenant key implies the tenant's other scopes. */
export const API_KEY_SCOPES = ["append", "read", "prove", "erase", "admin"] as const;

/** One scope of {@link API_KEY_SCOPES}. */
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

/** A key as it may be shown: everything but its digest. */
export interface ApiKeyInfo {
  id: string;
  /** The tenant the key acts for; null for an operator key. */
  tenant: string | null;
  /** Scopes in the order of {@link API_KEY_SCOPES}. */
  scopes: ApiKeyScope[];
  label: string;
  createdMs: number;
  /** Set once revoked: when. */
  revokedMs?: number;
}

/** What a key is issued for. Operator keys (tenant null) hold exactly ["admin"]. */
export interface ApiKeySpec {
  tenant: string | null;
  scopes: readonly ApiKeyScope[];
  label?: string;
}

/** Why {@link ApiKeyStore.verify} turned a key away. */
export type ApiKeyRejection = "malformed" | "unknown" | "mismatch" | "revoked";

/** The verdict on a presented key. */
export type ApiKeyVerdict =
  { ok: true; key: ApiKeyInfo } | { ok: false; reason: ApiKeyRejection; id?: string };

interface StoredKey extends ApiKeyInfo {
  /** Hex SHA-256 of the domain tag and the whole key. */
  digest: string;
}

const KEY_RANGE = { gte: "apikey/", lt: "apikey0" };
const KEY_FORMAT = /^al_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;
const DIGEST_TAG = "anchorlog/api-key/v1\u0000";
const MAX_LABEL = 100;

/** True when `key` has the shape "al_<16 hex digits>_<43 base64url characters>". */
export function isApiKeyFormat(key: unknown): key is string {
  return typeof key === "string" && KEY_FORMAT.test(key);
}

/** A fresh random key in the "al_<id>_<secret>" format. */
export function generateApiKey(): string {
  return `al_${randomBytes(8).toString("hex")}_${randomBytes(32).toString("base64url")}`;
}

/** The API keys of one store, cached in memory. Open with {@link ApiKeyStore.open}. */
export class ApiKeyStore {
  private readonly _store: KvStore;
  private readonly _keys = new Map<string, StoredKey>();

  private constructor(store: KvStore) {
    this._store = store;
  }

  /** Loads every key record of `store`. */
  static async open(store: KvStore): Promise<ApiKeyStore> {
    const keys = new ApiKeyStore(store);

    for await (const [, v] of store.entries(KEY_RANGE)) {
      const record = JSON.parse(fromUtf8(v)) as StoredKey;
      keys._keys.set(record.id, record);
    }
    return keys;
  }

  /**
   * Issues a new key and stores its digest durably. The returned `key` is the only copy of
   * the secret.
   *
   * @throws RangeError for scopes that do not fit the principal or an over-long label;
   *   LedgerError LEDGER_BAD_TENANT_ID for a malformed tenant id.
   */
  async issue(spec: ApiKeySpec, nowMs = Date.now()): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = generateApiKey();

    const info = await this.adopt(key, spec, nowMs);
    return { key, info };
  }

  /**
   * Registers a key generated elsewhere (e.g. the operator key given in configuration).
   * Adopting the same key again with the same principal returns its record unchanged.
   *
   * @throws RangeError when `key` is not in the "al_<id>_<secret>" format, when its id is
   *   taken by another key or principal, or as {@link issue}.
   */
  async adopt(key: string, spec: ApiKeySpec, nowMs = Date.now()): Promise<ApiKeyInfo> {
    const match = KEY_FORMAT.exec(key);
    if (match === null) throw new RangeError("key: expected al_<16 hex>_<43 base64url>");
    const scopes = normaliseScopes(spec);
    const label = spec.label ?? "";
    if (label.length > MAX_LABEL) throw new RangeError(`label: at most ${MAX_LABEL} characters`);
    const id = match[1];
    const digest = digestOf(key);
    const existing = this._keys.get(id);
    if (existing !== undefined) {
      if (existing.digest !== digest || existing.tenant !== spec.tenant) {
        throw new RangeError(`key: id ${id} belongs to another key`);
      }
      return view(existing);
    }

    const record: StoredKey = { id, tenant: spec.tenant, scopes, label, createdMs: nowMs, digest };
    await this._put(record);
    return view(record);
  }

  /**
   * Checks a presented key: well formed, known, matching digest (compared in constant time),
   * not revoked. Never throws.
   */
  verify(key: unknown): ApiKeyVerdict {
    const match = typeof key === "string" ? KEY_FORMAT.exec(key) : null;
    if (match === null) return { ok: false, reason: "malformed" };
    const id = match[1];
    const record = this._keys.get(id);
    if (record === undefined) return { ok: false, reason: "unknown", id };

    const presented = Buffer.from(digestOf(key as string), "hex");
    const stored = Buffer.from(record.digest, "hex");
    if (presented.length !== stored.length || !timingSafeEqual(presented, stored)) {
      return { ok: false, reason: "mismatch", id };
    }
    if (record.revokedMs !== undefined) return { ok: false, reason: "revoked", id };
    return { ok: true, key: view(record) };
  }

  /** The key `id`, revoked or not, or undefined. */
  get(id: string): ApiKeyInfo | undefined {
    const record = this._keys.get(id);
    return record === undefined ? undefined : view(record);
  }

  /**
   * Keys in creation order, then id order. `tenant` undefined lists every key, null the
   * operator keys, a string that tenant's keys.
   */
  list(tenant?: string | null): ApiKeyInfo[] {
    return [...this._keys.values()]
      .filter((k) => tenant === undefined || k.tenant === tenant)
      .sort((a, b) => a.createdMs - b.createdMs || (a.id < b.id ? -1 : 1))
      .map(view);
  }

  /**
   * Revokes the key `id` durably; a revoked key never verifies again. Revoking twice keeps the
   * first time. Returns undefined when there is no such key.
   */
  async revoke(id: string, nowMs = Date.now()): Promise<ApiKeyInfo | undefined> {
    const record = this._keys.get(id);
    if (record === undefined) return undefined;
    if (record.revokedMs !== undefined) return view(record);

    await this._put({ ...record, revokedMs: nowMs });
    return view(this._keys.get(id)!);
  }

  private async _put(record: StoredKey): Promise<void> {
    const value = utf8(JSON.stringify(record));
    await this._store.batch([{ type: "put", key: `apikey/${record.id}`, value }], { sync: true });
    this._keys.set(record.id, record);
  }
}

function normaliseScopes(spec: ApiKeySpec): ApiKeyScope[] {
  if (!Array.isArray(spec.scopes)) throw new TypeError("scopes: expected an array");
  for (const s of spec.scopes) {
    if (!API_KEY_SCOPES.includes(s)) throw new RangeError(`scopes: unknown scope ${String(s)}`);
  }
  const scopes = API_KEY_SCOPES.filter((s) => spec.scopes.includes(s));
  if (scopes.length === 0) throw new RangeError("scopes: at least one scope is required");

  if (spec.tenant === null) {
    if (scopes.length !== 1 || scopes[0] !== "admin") {
      throw new RangeError(`scopes: an operator key holds exactly ["admin"], got ${scopes}`);
    }
    return scopes;
  }
  checkTenantId(spec.tenant);
  return scopes;
}

function digestOf(key: string): string {
  return createHash("sha256").update(DIGEST_TAG).update(key, "utf8").digest("hex");
}

function view(record: StoredKey): ApiKeyInfo {
  const info: ApiKeyInfo = {
    id: record.id,
    tenant: record.tenant,
    scopes: [...record.scopes],
    label: record.label,
    createdMs: record.createdMs,
  };
  if (record.revokedMs !== undefined) info.revokedMs = record.revokedMs;
  return info;
}
