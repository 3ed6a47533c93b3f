/**
 * One tenant's log: its tree, leaves, encrypted events and signed checkpoints. Appends are
 * staged here and made durable by the committer; reads and proofs are served from here.
 */
import { createHash, randomBytes } from "node:crypto";

import { LedgerError, LedgerInvariantError, RootMismatchError } from "../errors";
import { KvOp, KvStore } from "../store/kv-store";
import { logKeys, LogKeys } from "../store/keys";
import { open, seal, SEAL_IV_SIZE } from "../tenancy/envelope";
import { bytesEqual, fromUtf8, toBase64, toHex, utf8, fromBase64 } from "../verify/bytes";
import { formatCheckpoint, parseCheckpoint, SignedCheckpoint } from "../verify/checkpoint";
import { EMPTY_ROOT } from "../verify/hash";
import { decodeLeaf, encodeLeaf, EVENT_HASH_DOMAIN, SALT_SIZE } from "../verify/leaf";
import { signNote, verifyNote } from "../verify/note";
import { buildConsistencyProof, buildInclusionProof, rootHash } from "../verify/proof-builder";
import { CheckpointSigner } from "./checkpoint-signer";
import { AuditEvent } from "./event";
import { nodeHasher } from "./node-hasher";
import { TileCache } from "./tile-cache";
import { ReadCounter, StagedTree, TileTree } from "./tile-tree";

/** What the ledger acknowledges for each appended entry. */
export interface AppendResult {
  index: number;
  /** Hex of the leaf hash. */
  leafHash: string;
  /** Integration time, milliseconds since the Unix epoch. */
  timeMs: number;
  /** Size of the first signed checkpoint that includes the entry. */
  treeSize: number;
}

/** An event ready to append: validated, with its canonical JSON. */
export interface PreparedEvent {
  event: AuditEvent;
  canonical: string;
  /** Operation commitment (32 bytes), or undefined for none. */
  opCommitment?: Uint8Array;
  /** Extra private fields sealed with the event (e.g. commitment openings). */
  sealedExtras?: Record<string, unknown>;
}

/** Appends of one tenant computed but not yet durable. */
export interface TenantStage {
  log: TenantLog;
  tree: StagedTree;
  ops: KvOp[];
  results: AppendResult[][];
  /** The checkpoint this stage must extend: the committed one or an earlier stage's. */
  previous: SignedCheckpoint;
  /** Set once sealed. */
  checkpoint?: SignedCheckpoint;
  signedAtMs?: number;
}

/** An entry as read back. `event` is absent once erased. */
export interface EntryRecord {
  index: number;
  leafHash: string;
  leafData: Uint8Array;
  timeMs: number;
  event?: AuditEvent;
  /** Set when the event was erased: the time of erasure. */
  erasedAtMs?: number;
}

/** Tenant metadata kept in the store. */
export interface TenantRecord {
  id: string;
  origin: string;
  createdMs: number;
  disabled: boolean;
  /** The tenant's data key wrapped by the master key, base64. */
  wrappedKey: string;
}

interface LogState {
  size: number;
  checkpoint: string | null;
  /** When the checkpoint was signed, milliseconds since the Unix epoch. */
  signedAtMs?: number;
}

const TOMBSTONE = 0;
const ZERO_COMMITMENT = new Uint8Array(32);

/** Shared resources of every tenant log. */
export interface LogContext {
  store: KvStore;
  signer: CheckpointSigner;
  cache: TileCache;
}

export class TenantLog {
  readonly record: TenantRecord;
  readonly keys: LogKeys;
  private readonly _ctx: LogContext;
  private readonly _dataKey: Uint8Array;
  private readonly _tree: TileTree;
  private _checkpoint: SignedCheckpoint;
  private _signedAtMs = 0;

  private constructor(
    ctx: LogContext,
    record: TenantRecord,
    dataKey: Uint8Array,
    tree: TileTree,
    checkpoint: SignedCheckpoint,
  ) {
    this._ctx = ctx;
    this.record = record;
    this.keys = logKeys(record.id);
    this._dataKey = dataKey;
    this._tree = tree;
    this._checkpoint = checkpoint;
  }

  /**
   * Opens a tenant's log and checks it against its latest signed checkpoint: the signature,
   * the root recomputed from the stored tiles, the leaves of the rightmost tile against their
   * stored hashes, and that nothing was written past the checkpoint's size.
   *
   * @throws LedgerError LEDGER_STORE_DAMAGED when any of that disagrees; the log is then not
   *   served.
   */
  static async open(
    ctx: LogContext,
    record: TenantRecord,
    dataKey: Uint8Array,
  ): Promise<TenantLog> {
    const keys = logKeys(record.id);
    const stateBytes = await ctx.store.get(keys.state);
    const state: LogState = stateBytes
      ? JSON.parse(fromUtf8(stateBytes))
      : { size: 0, checkpoint: null };

    const tree = await TileTree.load(ctx.store, keys, nodeHasher, ctx.cache, state.size);
    const log = new TenantLog(ctx, record, dataKey, tree, emptyCheckpoint(record.origin));
    if (state.checkpoint === null) {
      if (state.size !== 0) throw damaged(record.id, "non-empty log without a checkpoint");
      log._checkpoint = log._sign(0, EMPTY_ROOT);
      return log;
    }

    try {
      const verified = verifyNote(state.checkpoint, [ctx.signer.signerFor(record.origin)]);
      const cp = parseCheckpoint(verified.text);
      if (cp.origin !== record.origin || cp.size !== state.size) {
        throw damaged(record.id, "checkpoint names another origin or size");
      }
      log._checkpoint = { ...cp, note: state.checkpoint };
      log._signedAtMs = state.signedAtMs ?? 0;
      await log._checkEdge();
    } catch (err) {
      if (err instanceof LedgerError && err.code === "LEDGER_STORE_DAMAGED") throw err;
      throw new LedgerError(
        "LEDGER_STORE_DAMAGED",
        `log of tenant ${record.id} does not match its checkpoint`,
        { tenant: record.id },
        { cause: err },
      );
    }
    return log;
  }

  /** Number of leaves in the committed log. */
  get size(): number {
    return this._tree.size;
  }

  /** The latest signed checkpoint. */
  get checkpoint(): SignedCheckpoint {
    return this._checkpoint;
  }

  /** When the latest checkpoint was signed (ms since the Unix epoch; 0 for an empty log). */
  get checkpointSignedAtMs(): number {
    return this._signedAtMs;
  }

  /**
   * Stages appends after `base`, an earlier write still in flight (or the committed log when
   * omitted). `appends` holds each append's events; results come back per append, in order.
   * The caller must then {@link sealStage}.
   */
  stage(appends: readonly PreparedEvent[][], timeMs: number, base?: TenantStage): TenantStage {
    if (base !== undefined && base.checkpoint === undefined) {
      throw new LedgerInvariantError("a stage can only build on a sealed stage");
    }
    let index = base?.tree.size ?? this._tree.size;
    const events = appends.flat();
    const ops: KvOp[] = [];
    const flat: AppendResult[] = [];
    const leafHashes: Uint8Array[] = [];

    // One draw of randomness for the whole stage (salts and IVs): a call per value costs more
    // than the value.
    const random = randomBytes((SALT_SIZE + SEAL_IV_SIZE) * events.length);
    for (const [i, p] of events.entries()) {
      const at = i * (SALT_SIZE + SEAL_IV_SIZE);
      const salt = random.subarray(at, at + SALT_SIZE);
      const iv = random.subarray(at + SALT_SIZE, at + SALT_SIZE + SEAL_IV_SIZE);
      const leafData = encodeLeaf({
        index,
        timeMs,
        eventHash: fastEventHash(salt, p.canonical),
        opCommitment: p.opCommitment ?? ZERO_COMMITMENT,
      });
      const leafHash = nodeHasher.leaf(leafData);
      const leafHex = Buffer.from(leafHash.buffer, leafHash.byteOffset, 32).toString("hex");
      const extras =
        p.sealedExtras === undefined ? "" : `,"extras":${JSON.stringify(p.sealedExtras)}`;
      const record = `{"salt":"${salt.toString("base64")}","event":${p.canonical}${extras}}`;
      ops.push({ type: "put", key: this.keys.leaf(index), value: leafData });
      ops.push({
        type: "put",
        key: this.keys.event(index),
        value: seal(this._dataKey, record, this._aad(index), iv),
      });
      ops.push({ type: "put", key: this.keys.hash(leafHex), value: utf8(String(index)) });
      leafHashes.push(leafHash);
      flat.push({ index, leafHash: leafHex, timeMs, treeSize: -1 });
      index++;
    }

    const tree = this._tree.stage(leafHashes, base?.tree);
    const results: AppendResult[][] = [];
    let at = 0;
    for (const a of appends) {
      results.push(flat.slice(at, at + a.length));
      at += a.length;
    }
    return { log: this, tree, ops, results, previous: base?.checkpoint ?? this._checkpoint };
  }

  /**
   * Computes the staged tree's root, checks that it extends the last signed checkpoint, signs
   * the new checkpoint and adds the tile, state and checkpoint writes.
   *
   * @throws LedgerInvariantError when the staged tree does not extend the last checkpoint,
   *   which would mean a bug: a checkpoint inconsistent with an earlier one is never signed.
   */
  async sealStage(stage: TenantStage): Promise<void> {
    const src = this._tree.source(stage.tree);
    const root = await rootHash(src, nodeHasher, stage.tree.size);

    const old = stage.previous;
    if (old.size > 0) {
      const oldRoot = await rootHash(src, nodeHasher, old.size);
      if (!bytesEqual(oldRoot, old.rootHash)) {
        throw new LedgerInvariantError(
          `tree of ${this.record.id} no longer extends size ${old.size}`,
        );
      }
    }
    const cp = this._sign(stage.tree.size, root);
    for (const r of stage.results) for (const x of r) x.treeSize = cp.size;
    const signedAtMs = Date.now();
    const state: LogState = { size: cp.size, checkpoint: cp.note, signedAtMs };
    stage.signedAtMs = signedAtMs;
    stage.ops.push(...this._tree.writes(stage.tree));
    stage.ops.push({ type: "put", key: this.keys.state, value: utf8(JSON.stringify(state)) });
    stage.ops.push({ type: "put", key: this.keys.checkpoint(cp.size), value: utf8(cp.note) });
    stage.checkpoint = cp;
  }

  /** Adopts a sealed stage once its writes are durable; stages commit in the order staged. */
  commit(stage: TenantStage): void {
    if (stage.log !== this || stage.checkpoint === undefined) {
      throw new LedgerInvariantError("commit of a stage that is not sealed or not ours");
    }
    if (stage.previous.size !== this._checkpoint.size) {
      throw new LedgerInvariantError(`commit out of order for tenant ${this.record.id}`);
    }
    this._tree.commit(stage.tree);
    this._checkpoint = stage.checkpoint;
    this._signedAtMs = stage.signedAtMs ?? Date.now();
  }

  /**
   * Reads the entry at `index`, decrypting its event unless it was erased.
   *
   * @throws LedgerError LEDGER_INDEX_OUT_OF_RANGE when index >= size.
   */
  async entry(index: number): Promise<EntryRecord> {
    this._checkIndex(index);

    const [leafData, sealed] = await this._ctx.store.getMany([
      this.keys.leaf(index),
      this.keys.event(index),
    ]);
    if (leafData === undefined) throw damaged(this.record.id, `leaf ${index} is missing`);
    const fields = decodeLeaf(leafData);
    const out: EntryRecord = {
      index,
      leafHash: toHex(nodeHasher.leaf(leafData)),
      leafData,
      timeMs: fields.timeMs,
    };
    if (sealed === undefined || sealed[0] === TOMBSTONE) {
      const info = sealed ? JSON.parse(fromUtf8(sealed.subarray(1))) : { erasedAtMs: 0 };
      out.erasedAtMs = info.erasedAtMs;
      return out;
    }
    out.event = this._openEvent(index, sealed).event;
    return out;
  }

  /**
   * The private record of an entry: its event, salt and any sealed extras.
   *
   * @throws LedgerError LEDGER_EVENT_ERASED after erasure.
   */
  async privateRecord(
    index: number,
  ): Promise<{ event: AuditEvent; salt: Uint8Array } & Record<string, unknown>> {
    this._checkIndex(index);

    const sealed = await this._ctx.store.get(this.keys.event(index));
    if (sealed === undefined || sealed[0] === TOMBSTONE) {
      throw new LedgerError(
        "LEDGER_EVENT_ERASED",
        `event ${index} of ${this.record.id} was erased`,
        {
          index,
        },
      );
    }
    return this._openEvent(index, sealed);
  }

  /** Leaf data of [begin, end), in order. */
  async leaves(begin: number, end: number): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    for await (const [, v] of this._ctx.store.entries(this.keys.leafRange(begin, end))) out.push(v);
    return out;
  }

  /**
   * Erases the event at `index`: deletes its ciphertext and salt, leaving a tombstone, and
   * asks the store to compact them away. The leaf, and so every proof and checkpoint, stays.
   * Returns the erasure time; erasing twice keeps the first time.
   */
  async erase(index: number, nowMs: number): Promise<number> {
    this._checkIndex(index);

    const key = this.keys.event(index);
    const current = await this._ctx.store.get(key);
    if (current !== undefined && current[0] === TOMBSTONE) {
      return JSON.parse(fromUtf8(current.subarray(1))).erasedAtMs;
    }
    const tomb = new Uint8Array([TOMBSTONE, ...utf8(JSON.stringify({ erasedAtMs: nowMs }))]);
    await this._ctx.store.batch([{ type: "put", key, value: tomb }], { sync: true });
    await this._ctx.store.compact(key, `${key}\u0000`);
    return nowMs;
  }

  /** The index of the leaf with hash `leafHashHex`, or undefined. */
  async indexOfLeafHash(leafHashHex: string): Promise<number | undefined> {
    const v = await this._ctx.store.get(this.keys.hash(leafHashHex.toLowerCase()));
    if (v === undefined) return undefined;
    const index = Number(fromUtf8(v));
    return index < this.size ? index : undefined;
  }

  /**
   * The inclusion proof of the leaf at `index` in the tree of `treeSize` leaves (the latest
   * checkpoint's size by default).
   */
  async inclusionProof(
    index: number,
    treeSize = this.size,
    counter?: ReadCounter,
  ): Promise<Uint8Array[]> {
    this._checkSize(treeSize);
    this._checkIndex(index, treeSize);

    return buildInclusionProof(this._tree.source(undefined, counter), nodeHasher, index, treeSize);
  }

  /** The consistency proof from `size1` to `size2` (both at most the current size). */
  async consistencyProof(
    size1: number,
    size2: number,
    counter?: ReadCounter,
  ): Promise<Uint8Array[]> {
    this._checkSize(size2);
    this._checkSize(size1);

    return buildConsistencyProof(this._tree.source(undefined, counter), nodeHasher, size1, size2);
  }

  /** The root hash of the tree of `size` leaves (at most the current size). */
  async rootAt(size: number): Promise<Uint8Array> {
    this._checkSize(size);
    if (size === 0) return EMPTY_ROOT;
    return rootHash(this._tree.source(), nodeHasher, size);
  }

  /** The signed checkpoint of exactly `size` leaves, if one was signed. */
  async checkpointAt(size: number): Promise<string | undefined> {
    const v = await this._ctx.store.get(this.keys.checkpoint(size));
    return v === undefined ? undefined : fromUtf8(v);
  }

  /** Every signed checkpoint with size in [from, to), oldest first, at most `limit`. */
  async checkpoints(from: number, to: number, limit: number): Promise<string[]> {
    const out: string[] = [];
    const range = { gte: this.keys.checkpoint(from), lt: this.keys.checkpoint(to), limit };
    for await (const [, v] of this._ctx.store.entries(range)) out.push(fromUtf8(v));
    return out;
  }

  /** Tile bytes for the tlog-tiles endpoints; see {@link TileTree.readTile}. */
  readTile(level: number, n: number, size = this.size): Promise<Uint8Array | undefined> {
    return this._tree.readTile(level, n, size);
  }

  private _openEvent(index: number, sealed: Uint8Array) {
    const plain = open(this._dataKey, sealed, this._aad(index));
    const rec = JSON.parse(fromUtf8(plain));
    return { ...rec.extras, event: rec.event, salt: fromBase64(rec.salt) };
  }

  private _aad(index: number): string {
    return `anchorlog/event/v1/${this.record.id}/${index}`;
  }

  private _sign(size: number, root: Uint8Array): SignedCheckpoint {
    const cp = { origin: this.record.origin, size, rootHash: root, extensions: [] };
    const note = signNote(formatCheckpoint(cp), [this._ctx.signer.signerFor(this.record.origin)]);
    return { ...cp, note };
  }

  private async _checkEdge(): Promise<void> {
    const size = this._tree.size;
    const root = size === 0 ? EMPTY_ROOT : await rootHash(this._tree.source(), nodeHasher, size);
    if (!bytesEqual(root, this._checkpoint.rootHash)) {
      throw new RootMismatchError(
        `tenant ${this.record.id} stored tree`,
        toHex(this._checkpoint.rootHash),
        toHex(root),
      );
    }

    // The rightmost leaves must hash to the rightmost level-0 tile, and no leaf may sit past
    // the checkpoint (a half-applied batch is impossible with atomic writes; this says so).
    const begin = size - (size % 256);
    const tile = await this._tree.readTile(0, Math.floor(size / 256), size);
    const leaves = await this.leaves(begin, size + 1);
    if (leaves.length !== size - begin)
      throw damaged(this.record.id, "leaf count disagrees with size");
    leaves.forEach((leaf, i) => {
      const h = nodeHasher.leaf(leaf);
      if (tile === undefined || !bytesEqual(h, tile.subarray(i * 32, i * 32 + 32))) {
        throw damaged(this.record.id, `leaf ${begin + i} does not match its tile`);
      }
    });
  }

  private _checkIndex(index: number, size = this.size): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
      throw new LedgerError(
        "LEDGER_INDEX_OUT_OF_RANGE",
        `index ${index} is not in [0, ${size}) for tenant ${this.record.id}`,
        { index, size },
      );
    }
  }

  private _checkSize(size: number): void {
    if (!Number.isSafeInteger(size) || size < 0 || size > this.size) {
      throw new LedgerError(
        "LEDGER_SIZE_OUT_OF_RANGE",
        `tree size ${size} is not in [0, ${this.size}] for tenant ${this.record.id}`,
        { size, current: this.size },
      );
    }
  }
}

/** {@link eventHash} on Node's native SHA-256, from the already canonical event JSON. */
function fastEventHash(salt: Uint8Array, canonical: string): Uint8Array {
  return createHash("sha256")
    .update(EVENT_HASH_DOMAIN)
    .update(salt)
    .update(canonical, "utf8")
    .digest();
}

function emptyCheckpoint(origin: string): SignedCheckpoint {
  return { origin, size: 0, rootHash: EMPTY_ROOT, extensions: [], note: "" };
}

function damaged(tenant: string, why: string): LedgerError {
  return new LedgerError("LEDGER_STORE_DAMAGED", `log of tenant ${tenant}: ${why}`, { tenant });
}
