/**
 * Appends with operation commitments: the wrapper a service uses instead of calling the
 * ledger directly. When the tenant has a policy and an event carries `role` and
 * `resourceClass`, it draws a salt, has the operation committed (off the main thread with a
 * {@link CommitmentPool}), passes the commitment to the ledger for the event's leaf and seals
 * the opening with the event. The append resolves, as the ledger's does, only once durable,
 * so no acknowledged entry lacks its commitment.
 *
 * A tenant with "compliance required" must send `role` and `resourceClass` on every event.
 */
import type { AppendResult, Ledger } from "../ledger";
import { validateEvent, type AuditEvent } from "../log/event";
import { checkTime, fieldToBytes, randomSalt, type Operation } from "../zk";
import type { ComplianceStore } from "./compliance-store";
import { ComplianceError } from "./errors";
import { OPENING_KEY, openingOf, operationOf, type OperationOpening } from "./operation-opening";
import type { OperationCommitter } from "./operation-committer";

/** Options of {@link ComplianceLedger}. */
export interface ComplianceLedgerOptions {
  readonly ledger: Ledger;
  readonly compliance: ComplianceStore;
  /** Where commitments are computed: a CommitmentPool in a service. */
  readonly committer: OperationCommitter;
  /** Milliseconds since the Unix epoch; the system clock when omitted. */
  readonly clock?: () => number;
}

/** The ledger's append options that remain the caller's. */
export interface ComplianceAppendOptions {
  readonly idempotencyKey?: string;
}

/** Appends to a ledger with operation commitments. */
export class ComplianceLedger {
  readonly ledger: Ledger;
  readonly compliance: ComplianceStore;
  private readonly _committer: OperationCommitter;
  private readonly _clock: () => number;

  constructor(options: ComplianceLedgerOptions) {
    this.ledger = options.ledger;
    this.compliance = options.compliance;
    this._committer = options.committer;
    this._clock = options.clock ?? Date.now;
  }

  /** Appends one event. See {@link appendBatch}. */
  async append(
    tenant: string,
    event: unknown,
    opts: ComplianceAppendOptions = {},
  ): Promise<AppendResult> {
    const [result] = await this._append(tenant, [event], opts, false);
    return result;
  }

  /**
   * Appends events all or nothing, as Ledger.appendBatch, each with its operation commitment
   * when the tenant has a policy and the event names a role and a resource class.
   *
   * @throws ComplianceError COMPLIANCE_OPERATION_REQUIRED when the tenant requires compliance
   *   and an event lacks role or resourceClass; COMPLIANCE_BAD_OPERATION (cause: the ZkError)
   *   for a name the scheme cannot encode or a time out of range; COMPLIANCE_FUTURE_OPERATION
   *   for a timestamp after now; COMPLIANCE_BUSY (retryable) when the pool is full.
   * @throws LedgerError as Ledger.appendBatch, LEDGER_BAD_EVENT before any commitment.
   */
  async appendBatch(
    tenant: string,
    events: unknown[],
    opts: ComplianceAppendOptions = {},
  ): Promise<AppendResult[]> {
    return this._append(tenant, events, opts, true);
  }

  private async _append(
    tenant: string,
    events: unknown[],
    opts: ComplianceAppendOptions,
    batch: boolean,
  ): Promise<AppendResult[]> {
    const state = this.compliance.state(tenant);
    const plain = () =>
      batch
        ? this.ledger.appendBatch(tenant, events, opts)
        : this.ledger.append(tenant, events[0], opts).then((r) => [r]);
    if (state.policy === undefined || !Array.isArray(events) || events.length === 0) {
      return plain();
    }

    const nowSeconds = Math.floor(this._clock() / 1000);
    const committed = events.map((input, position) => {
      const { event } = validateEvent(input, Number.POSITIVE_INFINITY);
      return this._operation(tenant, event, position, state.required, nowSeconds);
    });
    const wanted = committed.filter((c) => c !== undefined).map((c) => c.op);
    if (wanted.length === 0) return plain();

    const commitments = await this._committer.commit(wanted);

    let next = 0;
    const opCommitments = committed.map((c) =>
      c === undefined ? undefined : fieldToBytes(commitments[next++]),
    );
    const sealedExtras = committed.map((c) =>
      c === undefined ? undefined : { [OPENING_KEY]: c.opening },
    );
    const full = { ...opts, opCommitments, sealedExtras };
    return batch
      ? this.ledger.appendBatch(tenant, events, full)
      : [await this.ledger.append(tenant, events[0], full)];
  }

  private _operation(
    tenant: string,
    event: AuditEvent,
    position: number,
    required: boolean,
    nowSeconds: number,
  ): { op: Operation; opening: OperationOpening } | undefined {
    const op = operationOf(event, randomSalt());
    if (op === undefined) {
      if (!required) return undefined;
      const field = event.role === undefined ? "role" : "resourceClass";
      throw new ComplianceError("COMPLIANCE_OPERATION_REQUIRED", { tenant, position, field });
    }

    let opening: OperationOpening;
    try {
      checkTime(op.time, "operation time");
      opening = openingOf(op);
    } catch (cause) {
      throw new ComplianceError("COMPLIANCE_BAD_OPERATION", { position }, { cause });
    }
    if (op.time > nowSeconds) {
      throw new ComplianceError("COMPLIANCE_FUTURE_OPERATION", {
        position,
        timeSeconds: op.time,
        nowSeconds,
      });
    }
    return { op, opening };
  }
}
