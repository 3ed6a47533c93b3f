import {
  FetchRequest,
  Interface,
  isError,
  JsonRpcProvider,
  Transaction,
  Wallet,
  zeroPadValue,
  toBeHex,
} from "ethers";

import { AnchorError, isAnchorError } from "./errors";
import { REGISTRY_ABI } from "./registry-abi";

/** Options of {@link RegistryClient}. */
export interface RegistryClientOptions {
  /** The chain's JSON-RPC endpoint. */
  readonly rpcUrl: string;
  /** The chain id the registry lives on; the provider never asks the node for it. */
  readonly chainId: number;
  /** The registry's address. */
  readonly registry: string;
  /** The anchorer's private key, 32 bytes of 0x hex. */
  readonly privateKey: string;
  /** How long one JSON-RPC request may take before it counts as unreachable. */
  readonly rpcTimeoutMs: number;
}

/** The head of the chain as last read. */
export interface ChainHead {
  readonly number: number;
  readonly hash: string;
}

/** An anchor transaction signed but not necessarily sent. */
export interface SignedAnchor {
  /** The transaction hash, known before sending. */
  readonly hash: string;
  /** The signed transaction, 0x hex, ready to broadcast again as it is. */
  readonly raw: string;
  readonly nonce: number;
}

/** Where a transaction was mined, and whether it succeeded. */
export interface MinedAt {
  readonly txHash: string;
  readonly blockNumber: number;
  readonly blockHash: string;
  readonly succeeded: boolean;
}

/** How the node took a broadcast: accepted into its pool, or refused with a reason. */
export type BroadcastOutcome = { accepted: true } | { accepted: false; reason: string };

const REGISTRY = new Interface(REGISTRY_ABI as string[]);

// Node's own socket failures, which ethers passes through unwrapped.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "ENOTFOUND"]);

/**
 * The anchoring worker's view of one registry on one chain, through an ethers v6
 * JsonRpcProvider built to fail fast: it is told the chain id (so it never probes the
 * network in the background while the node is down), keeps no result cache (so two
 * transactions in a row never read one stale nonce), sends one request per call, and gives
 * up on a request after `rpcTimeoutMs`.
 *
 * Every method throws an ANCHOR_CHAIN_UNREACHABLE AnchorError, with the provider's error as
 * cause, when the endpoint refuses, drops or does not answer a request in time; callers
 * retry those. Other failures keep their own codes.
 */
export class RegistryClient {
  readonly rpcUrl: string;

  readonly chainId: number;

  readonly registry: string;

  /** The anchoring account, connected to this client's provider. */
  readonly wallet: Wallet;

  private readonly _provider: JsonRpcProvider;

  constructor(options: RegistryClientOptions) {
    const request = new FetchRequest(options.rpcUrl);
    request.timeout = options.rpcTimeoutMs;

    this.rpcUrl = options.rpcUrl;
    this.chainId = options.chainId;
    this.registry = options.registry;
    this._provider = new JsonRpcProvider(request, options.chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
      batchMaxCount: 1,
    });
    this.wallet = new Wallet(options.privateKey, this._provider);
  }

  /** The chain id the node answers with now (the provider's own is fixed). */
  nodeChainId(): Promise<number> {
    return this._call(async () => Number(await this._provider.send("eth_chainId", [])));
  }

  /** True when code lives at the registry's address. */
  hasCode(): Promise<boolean> {
    return this._call(async () => (await this._provider.getCode(this.registry)) !== "0x");
  }

  /** The latest block's number and hash. */
  head(): Promise<ChainHead> {
    return this._call(async () => {
      const block = await this._provider.getBlock("latest");
      if (block === null || block.hash === null) {
        throw new Error("invariant: a node always has a latest block with a hash");
      }
      return { number: block.number, hash: block.hash };
    });
  }

  /** The registry's latest anchored epoch, 0 before the first. */
  latestEpoch(): Promise<number> {
    return this._call(async () => Number(await this._read("latestEpoch", [])));
  }

  /** The root anchored at `epoch`, lower-case hex; all zero when none is. */
  epochRoot(epoch: number): Promise<string> {
    return this._call(async () => String(await this._read("epochRoot", [epoch])).toLowerCase());
  }

  /**
   * Signs `anchor(epoch, root)` with the next nonce the node expects (pending transactions
   * included) and the node's current fees. Sends nothing.
   *
   * Throws an ANCHOR_ANCHOR_REJECTED AnchorError when the registry would revert it (gas
   * estimation runs the call), naming the registry's custom error.
   */
  signAnchor(epoch: number, root: string): Promise<SignedAnchor> {
    return this._call(async () => {
      const data = REGISTRY.encodeFunctionData("anchor", [epoch, root]);

      let request;
      try {
        request = await this.wallet.populateTransaction({ to: this.registry, data });
      } catch (error) {
        if (!isError(error, "CALL_EXCEPTION")) throw error;
        const reason = revertReason(error.data) ?? error.shortMessage;
        throw new AnchorError("ANCHOR_ANCHOR_REJECTED", { epoch, reason }, { cause: error });
      }

      const raw = await this.wallet.signTransaction(request);
      const hash = Transaction.from(raw).hash;
      if (hash === null) throw new Error("invariant: a signed transaction has a hash");
      return { hash, raw, nonce: Number(request.nonce) };
    });
  }

  /**
   * Sends a signed transaction. A node that refuses it (a spent nonce, a known
   * transaction, fees too low) is reported as an outcome, not thrown: the caller decides
   * from the chain's state what to do next.
   */
  broadcast(raw: string): Promise<BroadcastOutcome> {
    return this._call(async () => {
      try {
        await this._provider.broadcastTransaction(raw);
        return { accepted: true };
      } catch (error) {
        if (isUnreachable(error)) throw error;
        return { accepted: false, reason: message(error) };
      }
    });
  }

  /** Where transaction `hash` was mined, or null while it is not (or no longer) in a block. */
  minedAt(hash: string): Promise<MinedAt | null> {
    return this._call(async () => {
      const receipt = await this._provider.getTransactionReceipt(hash);
      if (receipt === null) return null;

      return {
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        succeeded: receipt.status === 1,
      };
    });
  }

  /** True when the node knows transaction `hash`, mined or waiting in its pool. */
  isKnown(hash: string): Promise<boolean> {
    return this._call(async () => (await this._provider.getTransaction(hash)) !== null);
  }

  /**
   * Finds the transaction that anchored `epoch`, from its EpochAnchored event, searching
   * blocks from `fromBlock` on; null when there is none.
   */
  findAnchor(epoch: number, fromBlock: number): Promise<MinedAt | null> {
    return this._call(async () => {
      const event = REGISTRY.getEvent("EpochAnchored");
      if (event === null) throw new Error("invariant: the registry ABI has EpochAnchored");
      const topics = [event.topicHash, zeroPadValue(toBeHex(epoch), 32)];
      const logs = await this._provider.getLogs({ address: this.registry, topics, fromBlock });
      const log = logs.at(-1);
      if (log === undefined) return null;

      return {
        txHash: log.transactionHash,
        blockNumber: log.blockNumber,
        blockHash: log.blockHash,
        succeeded: true,
      };
    });
  }

  /** Releases the provider. The client must not be used afterwards. */
  destroy(): void {
    this._provider.destroy();
  }

  private async _read(name: "latestEpoch" | "epochRoot", args: unknown[]): Promise<unknown> {
    const data = REGISTRY.encodeFunctionData(name, args);

    const result = await this._provider.call({ to: this.registry, data });

    return REGISTRY.decodeFunctionResult(name, result)[0];
  }

  private async _call<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (isAnchorError(error) || !isUnreachable(error)) throw error;
      throw new AnchorError("ANCHOR_CHAIN_UNREACHABLE", { rpcUrl: this.rpcUrl }, { cause: error });
    }
  }
}

/** True for the failures that say "the endpoint did not answer", as opposed to "it said no". */
export function isUnreachable(error: unknown): boolean {
  if (isAnchorError(error, "ANCHOR_CHAIN_UNREACHABLE")) return true;
  if (isError(error, "TIMEOUT") || isError(error, "NETWORK_ERROR")) return true;
  // ethers reports HTTP failures and unparseable answers (a half-started node) this way.
  if (isError(error, "SERVER_ERROR")) return true;

  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && NETWORK_CODES.has(code)) return true;
    e = e.cause;
  }
  return false;
}

/** The registry's custom error in `data`, as `Name(arg, …)`, or undefined. */
function revertReason(data: unknown): string | undefined {
  if (typeof data !== "string" || data === "0x") return undefined;

  const parsed = REGISTRY.parseError(data);
  return parsed === null ? undefined : `${parsed.name}(${parsed.args.join(", ")})`;
}

function message(error: unknown): string {
  if (error instanceof Error) {
    return (error as { shortMessage?: string }).shortMessage ?? error.message.split("\n")[0];
  }
  return String(error);
}
