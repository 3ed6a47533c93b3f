/**
 * The policy model of every tenant: versioned policy and assignment documents, validated by
 * ledger/zk, with their Poseidon roots and the history of (version, root, time). Writes are
 * synced; the history is kept in memory for the anchoring worker's synchronous `rootsFor`.
 *
 * Roots are bytes32 hex: the field element's 32 bytes, big-endian, as an operation commitment
 * is written into leaf data (see ledger/zk/root-bytes32). A tenant without a document has the
 * zero root for it.
 *
 * WARNING: one process per store. The in-memory history is the source of truth for reads;
 * several processes sharing a store would need it refreshed on every change.
 */
import { KvStore } from "../store/kv-store";
import { checkTenantId } from "../tenancy/tenant-id";
import { fromUtf8, utf8 } from "../verify/bytes";
import { canonicalJson } from "../verify/canonical-json";
import { ZERO_BYTES32 } from "../anchor/checkpoint-commitment";
import {
  buildAssignmentTree,
  buildPolicyTree,
  checkCircuitParams,
  fieldToBytes32,
  loadPoseidon,
  parseAssignments,
  parsePolicy,
  type AssignmentTree,
  type CircuitParams,
  type Policy,
  type PolicyTree,
} from "../zk";
import {
  COMPLIANCE_RANGE,
  complianceKeys,
  parseComplianceKey,
  type DocumentKind,
} from "./compliance-keys";
import { ComplianceError } from "./errors";

/** One registered version of a tenant's policy or assignments. */
export interface RootVersion {
  readonly kind: DocumentKind;
  /** 1 for the first document of its kind, then 2, 3, ... */
  readonly version: number;
  /** The document's root, bytes32 hex. */
  readonly root: string;
  /** When the version took effect, milliseconds since the Unix epoch (the ledger's clock). */
  readonly setAtMs: number;
  /** Grants or assignments in the document. */
  readonly entries: number;
}

/** A tenant's compliance settings and current versions. */
export interface TenantCompliance {
  /** When true, every event must carry `role` and `resourceClass`. */
  readonly required: boolean;
  readonly policy?: RootVersion;
  readonly assignments?: RootVersion;
}

/** The roots an epoch anchors for a tenant, bytes32 hex, zero when unset. */
export interface ComplianceRoots {
  readonly policyRoot: string;
  readonly assignmentRoot: string;
}

/** The trees of one (policy version, assignment version) pair, ready for a witness. */
export interface VersionTrees {
  readonly policy: PolicyTree;
  readonly assignments: AssignmentTree;
}

interface StoredVersion extends RootVersion {
  /** The document as canonical JSON. */
  readonly document: string;
}

interface TenantState {
  required: boolean;
  policy: RootVersion[];
  assignments: RootVersion[];
}

const TREE_CACHE_SIZE = 8;

/** Versioned policy and assignment documents of every tenant. Open with {@link open}. */
export class ComplianceStore {
  /** The circuit parameters roots are computed at: their depths fix every root. */
  readonly params: CircuitParams;
  private readonly _store: KvStore;
  private readonly _clock: () => number;
  private readonly _tenants = new Map<string, TenantState>();
  private readonly _locks = new Map<string, Promise<unknown>>();
  private readonly _trees = new Map<string, Promise<VersionTrees>>();

  private constructor(store: KvStore, params: CircuitParams, clock: () => number) {
    this._store = store;
    this.params = params;
    this._clock = clock;
  }

  /**
   * Loads every tenant's history from `store`.
   *
   * @throws ComplianceError COMPLIANCE_RECORDS_DAMAGED when a record cannot be read.
   * @throws RangeError for bad parameters.
   */
  static async open(
    store: KvStore,
    options: { params: CircuitParams; clock?: () => number },
  ): Promise<ComplianceStore> {
    checkCircuitParams(options.params);
    const self = new ComplianceStore(store, options.params, options.clock ?? Date.now);

    for await (const [key, value] of store.entries(COMPLIANCE_RANGE)) {
      const parsed = parseComplianceKey(key);
      const kind = parsed?.rest.split("/")[0];
      if (
        parsed === undefined ||
        (kind !== "settings" && kind !== "policy" && kind !== "assignments")
      ) {
        continue;
      }
      const state = self._state(parsed.tenant);
      const record = readJson(key, value) as StoredVersion & { required?: boolean };
      if (kind === "settings") {
        state.required = record.required === true;
      } else {
        state[kind].push(metadata(record));
      }
    }
    return self;
  }

  /**
   * Registers a new policy version for `tenant` from a policy document (a parsed JSON value).
   * The tenant's current assignments must still name only roles the new policy declares. A
   * document with the current root registers nothing and returns the current version.
   *
   * @throws ZkError for a document parsePolicy rejects, ZK_TREE_FULL when it does not fit
   *   the depth, ZK_UNKNOWN_ROLE when the current assignments use a role it drops.
   * @throws LedgerError LEDGER_BAD_TENANT_ID for a malformed tenant id.
   */
  setPolicy(tenant: string, document: unknown): Promise<RootVersion> {
    checkTenantId(tenant);

    return this._serialised(tenant, async () => {
      const policy = parsePolicy(document);
      const hash = await loadPoseidon();
      const tree = buildPolicyTree(hash, policy, this.params.policyDepth);
      const current = this._state(tenant).assignments.at(-1);
      if (current !== undefined) {
        parseAssignments(await this._documentOf(tenant, current), policy);
      }

      return this._register(tenant, "policy", document, tree.root, policy.grants.length);
    });
  }

  /**
   * Registers a new assignment version for `tenant`. Every role must be declared by the
   * tenant's current policy. A document with the current root registers nothing.
   *
   * @throws ComplianceError COMPLIANCE_NO_POLICY when the tenant has no policy.
   * @throws ZkError for a document parseAssignments rejects, ZK_TREE_FULL when it does not
   *   fit the depth.
   */
  setAssignments(tenant: string, document: unknown): Promise<RootVersion> {
    checkTenantId(tenant);

    return this._serialised(tenant, async () => {
      const policy = await this._currentPolicy(tenant);
      const assignments = parseAssignments(document, policy);
      const hash = await loadPoseidon();
      const tree = buildAssignmentTree(hash, assignments, this.params.assignmentDepth);

      return this._register(
        tenant,
        "assignments",
        document,
        tree.root,
        assignments.assignments.length,
      );
    });
  }

  /**
   * Turns "compliance required" on or off for `tenant`: when on, every appended event must
   * carry `role` and `resourceClass`.
   *
   * @throws ComplianceError COMPLIANCE_NO_POLICY when turning it on without a policy.
   */
  setRequired(tenant: string, required: boolean): Promise<TenantCompliance> {
    checkTenantId(tenant);
    if (typeof required !== "boolean") throw new TypeError("required must be a boolean");

    return this._serialised(tenant, async () => {
      if (required && this._state(tenant).policy.length === 0) {
        throw new ComplianceError("COMPLIANCE_NO_POLICY", { tenant });
      }

      await this._store.batch(
        [
          {
            type: "put",
            key: complianceKeys(tenant).settings,
            value: utf8(JSON.stringify({ required })),
          },
        ],
        { sync: true },
      );

      this._state(tenant).required = required;
      return this.state(tenant);
    });
  }

  /** The tenant's settings and current versions (nothing registered: not required, no versions). */
  state(tenant: string): TenantCompliance {
    const s = this._tenants.get(tenant);
    if (s === undefined) return { required: false };
    return { required: s.required, policy: s.policy.at(-1), assignments: s.assignments.at(-1) };
  }

  /** The tenant's current roots as bytes32 hex, zero where nothing is registered. */
  currentRoots(tenant: string): ComplianceRoots {
    const s = this.state(tenant);
    return {
      policyRoot: s.policy?.root ?? ZERO_BYTES32,
      assignmentRoot: s.assignments?.root ?? ZERO_BYTES32,
    };
  }

  /** {@link currentRoots} as a bound function, the shape the anchoring worker takes. */
  readonly rootsFor = (tenant: string): ComplianceRoots => this.currentRoots(tenant);

  /** Every version of one kind, oldest first. */
  history(tenant: string, kind: DocumentKind): readonly RootVersion[] {
    return [...(this._tenants.get(tenant)?.[kind] ?? [])];
  }

  /** The version of `kind` in force at `timeMs`: the latest set at or before it, if any. */
  versionAt(tenant: string, kind: DocumentKind, timeMs: number): RootVersion | undefined {
    const versions = this._tenants.get(tenant)?.[kind] ?? [];
    let found: RootVersion | undefined;
    for (const v of versions) if (v.setAtMs <= timeMs) found = v;
    return found;
  }

  /**
   * The document of a version, as parsed JSON.
   *
   * @throws ComplianceError COMPLIANCE_RECORDS_DAMAGED when the version's record is missing.
   */
  async document(tenant: string, kind: DocumentKind, version: number): Promise<unknown> {
    const meta = this.history(tenant, kind).find((v) => v.version === version);
    if (meta === undefined) {
      throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", {
        key: complianceKeys(tenant).version(kind, version),
      });
    }
    return this._documentOf(tenant, meta);
  }

  /**
   * The policy and assignment trees of a pair of versions, rebuilt from the stored documents
   * and checked against the stored roots. A few recent pairs are cached.
   *
   * @throws ComplianceError COMPLIANCE_RECORDS_DAMAGED when a document is missing or no longer
   *   gives its recorded root.
   */
  trees(tenant: string, policyVersion: number, assignmentVersion: number): Promise<VersionTrees> {
    const key = `${tenant}/${policyVersion}/${assignmentVersion}`;
    let trees = this._trees.get(key);
    if (trees === undefined) {
      trees = this._buildTrees(tenant, policyVersion, assignmentVersion);
      trees.catch(() => this._trees.delete(key));
      this._trees.set(key, trees);
      if (this._trees.size > TREE_CACHE_SIZE) this._trees.delete(this._trees.keys().next().value!);
    }
    return trees;
  }

  private async _buildTrees(
    tenant: string,
    policyVersion: number,
    assignmentVersion: number,
  ): Promise<VersionTrees> {
    const keys = complianceKeys(tenant);
    const policyMeta = this.history(tenant, "policy").find((v) => v.version === policyVersion);
    const assignMeta = this.history(tenant, "assignments").find(
      (v) => v.version === assignmentVersion,
    );
    if (policyMeta === undefined || assignMeta === undefined) {
      const missing =
        policyMeta === undefined
          ? keys.version("policy", policyVersion)
          : keys.version("assignments", assignmentVersion);
      throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key: missing });
    }

    const hash = await loadPoseidon();
    const policy = buildPolicyTree(
      hash,
      parsePolicy(await this._documentOf(tenant, policyMeta)),
      this.params.policyDepth,
    );
    const assignments = buildAssignmentTree(
      hash,
      parseAssignments(await this._documentOf(tenant, assignMeta), policy.policy),
      this.params.assignmentDepth,
    );

    if (fieldToBytes32(policy.root) !== policyMeta.root) {
      throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", {
        key: keys.version("policy", policyVersion),
      });
    }
    if (fieldToBytes32(assignments.root) !== assignMeta.root) {
      throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", {
        key: keys.version("assignments", assignmentVersion),
      });
    }
    return { policy, assignments };
  }

  private async _currentPolicy(tenant: string): Promise<Policy> {
    const current = this._state(tenant).policy.at(-1);
    if (current === undefined) throw new ComplianceError("COMPLIANCE_NO_POLICY", { tenant });

    return parsePolicy(await this._documentOf(tenant, current));
  }

  private async _register(
    tenant: string,
    kind: DocumentKind,
    document: unknown,
    root: bigint,
    entries: number,
  ): Promise<RootVersion> {
    const versions = this._state(tenant)[kind];
    const rootHex = fieldToBytes32(root);
    const current = versions.at(-1);
    if (current !== undefined && current.root === rootHex) return current;

    const record: StoredVersion = {
      kind,
      version: (current?.version ?? 0) + 1,
      root: rootHex,
      setAtMs: Math.max(this._clock(), current?.setAtMs ?? 0),
      entries,
      document: canonicalJson(document),
    };
    await this._store.batch(
      [
        {
          type: "put",
          key: complianceKeys(tenant).version(kind, record.version),
          value: utf8(JSON.stringify(record)),
        },
      ],
      { sync: true },
    );

    const meta = metadata(record);
    versions.push(meta);
    return meta;
  }

  /** The parsed document of a version. */
  private async _documentOf(tenant: string, meta: RootVersion): Promise<unknown> {
    const key = complianceKeys(tenant).version(meta.kind, meta.version);

    const value = await this._store.get(key);

    if (value === undefined) throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key });
    return readJson(key, utf8((readJson(key, value) as StoredVersion).document));
  }

  private _state(tenant: string): TenantState {
    let s = this._tenants.get(tenant);
    if (s === undefined) {
      s = { required: false, policy: [], assignments: [] };
      this._tenants.set(tenant, s);
    }
    return s;
  }

  // Changes of one tenant run one at a time, so versions are numbered without races.
  private _serialised<T>(tenant: string, work: () => Promise<T>): Promise<T> {
    const before = this._locks.get(tenant) ?? Promise.resolve();
    const run = before.then(work, work);
    const settled = run.catch(() => undefined);
    this._locks.set(tenant, settled);
    void settled.then(() => {
      if (this._locks.get(tenant) === settled) this._locks.delete(tenant);
    });
    return run;
  }
}

function metadata(record: StoredVersion): RootVersion {
  return Object.freeze({
    kind: record.kind,
    version: record.version,
    root: record.root,
    setAtMs: record.setAtMs,
    entries: record.entries,
  });
}

function readJson(key: string, value: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(value));
  } catch (cause) {
    throw new ComplianceError("COMPLIANCE_RECORDS_DAMAGED", { key }, { cause });
  }
}
