/**
 * The anchor layer's error catalog. Every expected failure of `ledger/anchor` is an
 * {@link AnchorError} whose `code` is one of these stable strings; callers branch on the code,
 * never on the message, and read the details from `data`.
 */
export interface AnchorErrorData {
  /** An epoch tree was requested for no checkpoint commitments at all. */
  ANCHOR_EMPTY_EPOCH: Record<string, never>;
  /** Two commitments in one epoch share an origin; each tenant log has one latest checkpoint. */
  ANCHOR_DUPLICATE_ORIGIN: { originHash: string };
  /** A proof was requested for an origin that is not a leaf of the epoch tree. */
  ANCHOR_UNKNOWN_ORIGIN: { originHash: string };
  /** An epoch inclusion proof leads to a different root than the one it was checked against. */
  ANCHOR_ROOT_MISMATCH: { expected: string; actual: string };
  /** The compiled contract artifact is missing or unreadable; `npm run compile` builds it. */
  ANCHOR_ARTIFACT_MISSING: { path: string };
  /** A JSON-RPC endpoint did not answer with a chain id. Retry once the chain is back. */
  ANCHOR_CHAIN_UNREACHABLE: { rpcUrl: string };
  /** Deploying the registry failed on the chain side; `cause` holds the provider's error. */
  ANCHOR_DEPLOY_FAILED: { contract: string };
  /** The port asked for is taken, so a local node there would not be ours. */
  ANCHOR_PORT_IN_USE: { port: number };
  /** The local node process ended before its JSON-RPC endpoint answered. */
  ANCHOR_NODE_EXITED: { exitCode: number | null; signal: string | null; output: string };
  /** The local node (process `pid`) did not answer in time; it has been stopped. */
  ANCHOR_NODE_TIMEOUT: { rpcUrl: string; timeoutMs: number; pid: number; output: string };
  /**
   * The registry anchors were written to is no longer there: the endpoint answers with
   * another chain id (`actualChainId`), or no code lives at the registry's address. A
   * development chain was reset; in production, the RPC URL points at the wrong chain.
   */
  ANCHOR_REGISTRY_GONE: {
    chainId: number;
    registry: string;
    reason: "chain-id" | "no-code";
    actualChainId: number;
  };
  /** The registry refused an anchor; `reason` is its custom error or the revert message. */
  ANCHOR_ANCHOR_REJECTED: { epoch: number; reason: string };
  /**
   * The registry holds another root at `epoch` than the one sent there: someone else
   * anchored it, for example after a reorg dropped this worker's transaction.
   */
  ANCHOR_EPOCH_TAKEN: { epoch: number; expected: string; actual: string };
  /** An anchor transaction was mined but reverted. */
  ANCHOR_TX_REVERTED: { epoch: number; txHash: string };
  /**
   * The registry's latest epoch and the local records disagree in a way no reorg explains:
   * the registry is ahead, so another account anchors to it too.
   */
  ANCHOR_EPOCH_CONFLICT: { localEpoch: number; registryEpoch: number };
  /** A receipt's anchor is missing or malformed; `field` names the first bad one. */
  ANCHOR_BAD_RECEIPT: { field: string; reason: string };
  /** The chain holds no root for `epoch` in the registry the receipt names. */
  ANCHOR_EPOCH_NOT_ANCHORED: { epoch: number };
  /** The endpoint serves another chain than the one a receipt or registry names. */
  ANCHOR_WRONG_CHAIN: { expected: number; actual: number };
  /** The anchor records in the store cannot be read; `key` names the record. */
  ANCHOR_RECORDS_DAMAGED: { key: string };
}

/** A stable code of the anchor layer, such as `"ANCHOR_ROOT_MISMATCH"`. */
export type AnchorErrorCode = keyof AnchorErrorData;

const MESSAGES: { [C in AnchorErrorCode]: (data: AnchorErrorData[C]) => string } = {
  ANCHOR_EMPTY_EPOCH: () => "an epoch tree needs at least one checkpoint commitment, got none",
  ANCHOR_DUPLICATE_ORIGIN: (d) =>
    `origin hash ${d.originHash} appears twice in one epoch; ` +
    "each tenant log contributes only its latest checkpoint",
  ANCHOR_UNKNOWN_ORIGIN: (d) => `origin hash ${d.originHash} is not a leaf of this epoch tree`,
  ANCHOR_ROOT_MISMATCH: (d) =>
    `epoch proof leads to root ${d.actual}, but the anchored root is ${d.expected}`,
  ANCHOR_ARTIFACT_MISSING: (d) =>
    `contract artifact ${d.path} is missing or unreadable; run \`npm run compile\` first`,
  ANCHOR_CHAIN_UNREACHABLE: (d) =>
    `no chain answered at ${d.rpcUrl}; retry once the endpoint is reachable`,
  ANCHOR_DEPLOY_FAILED: (d) => `deploying ${d.contract} failed; see the cause`,
  ANCHOR_PORT_IN_USE: (d) =>
    `port ${d.port} on 127.0.0.1 is already in use; pick another or let one be chosen`,
  ANCHOR_NODE_EXITED: (d) =>
    `the local chain node exited before answering (exit code ${d.exitCode}, ` +
    `signal ${d.signal}); last output: ${d.output}`,
  ANCHOR_NODE_TIMEOUT: (d) =>
    `the local chain node at ${d.rpcUrl} did not answer within ${d.timeoutMs} ms ` +
    `and was stopped; retry or raise the timeout; last output: ${d.output}`,
  ANCHOR_REGISTRY_GONE: (d) =>
    d.reason === "chain-id"
      ? `the endpoint now serves chain ${d.actualChainId}, not chain ${d.chainId} where ` +
        `registry ${d.registry} lives; the chain was reset or the RPC URL is wrong`
      : `no contract at registry ${d.registry} on chain ${d.chainId}; the chain was reset ` +
        "or the address is wrong; anchors made there are gone",
  ANCHOR_ANCHOR_REJECTED: (d) => `the registry refused epoch ${d.epoch}: ${d.reason}`,
  ANCHOR_EPOCH_TAKEN: (d) =>
    `epoch ${d.epoch} holds root ${d.actual} on chain, not ${d.expected}; ` +
    "the next epoch anchors the current checkpoints instead",
  ANCHOR_TX_REVERTED: (d) => `anchor transaction ${d.txHash} for epoch ${d.epoch} reverted`,
  ANCHOR_EPOCH_CONFLICT: (d) =>
    `the registry's latest epoch is ${d.registryEpoch} but this ledger anchored only up to ` +
    `${d.localEpoch}; another account anchors to the same registry`,
  ANCHOR_BAD_RECEIPT: (d) => `receipt anchor field ${d.field} is malformed: ${d.reason}`,
  ANCHOR_EPOCH_NOT_ANCHORED: (d) => `epoch ${d.epoch} has no root in the registry`,
  ANCHOR_WRONG_CHAIN: (d) => `the endpoint serves chain ${d.actual}, not chain ${d.expected}`,
  ANCHOR_RECORDS_DAMAGED: (d) => `anchor record ${d.key} is missing or unreadable`,
};

/**
 * An expected failure of the anchor layer. `code` is stable and `data` carries the offending
 * values; `cause`, when present, is the lower-level error that led to this one.
 */
export class AnchorError<C extends AnchorErrorCode = AnchorErrorCode> extends Error {
  readonly code: C;

  readonly data: Readonly<AnchorErrorData[C]>;

  constructor(code: C, data: AnchorErrorData[C], options?: { cause?: unknown }) {
    super(MESSAGES[code](data), options);

    this.name = "AnchorError";
    this.code = code;
    this.data = Object.freeze({ ...data });
  }
}

/** True when `error` is an {@link AnchorError}, narrowed to `code` when one is given. */
export function isAnchorError<C extends AnchorErrorCode>(
  error: unknown,
  code?: C,
): error is AnchorError<C> {
  return error instanceof AnchorError && (code === undefined || error.code === code);
}
