import { FetchRequest, Interface, JsonRpcProvider, getAddress, type BlockTag } from "ethers";

import type { EpochRootReader } from "../verify/anchor-check";
import { AnchorError } from "./errors";
import { fetchChainId } from "./fetch-chain-id";
import { REGISTRY_ABI } from "./registry-abi";
import { isUnreachable } from "./registry-client";

/** Options of {@link readEpochRootFromChain}. */
export interface ChainReaderOptions {
  /** How long one request may take; 10,000 ms when omitted. */
  readonly timeoutMs?: number;
  /**
   * The block to read at; "latest" when omitted. "finalized" (where the chain supports it)
   * makes a verifier immune to reorgs at the price of finality's delay.
   */
  readonly blockTag?: BlockTag;
}

/** An {@link EpochRootReader} over one endpoint, with a way to release it. */
export interface ChainEpochRootReader extends EpochRootReader {
  /** Releases the provider; the reader must not be used afterwards. */
  destroy(): void;
}

const REGISTRY = new Interface(REGISTRY_ABI as string[]);

/**
 * Returns an {@link EpochRootReader} that reads a registry's `epochRoot(epoch)` through an
 * ethers JsonRpcProvider at `rpcUrl`. Before each read it checks that the endpoint serves
 * the chain the receipt names and that code lives at the registry's address, so a receipt
 * naming another chain or a vanished registry fails loudly instead of reading zero.
 *
 * The returned function throws (and so fails a verification's `chain` step) with an
 * AnchorError: ANCHOR_WRONG_CHAIN, ANCHOR_REGISTRY_GONE (reason "no-code"), or
 * ANCHOR_CHAIN_UNREACHABLE with the provider's error as cause. Runs in browsers too.
 */
export function readEpochRootFromChain(
  rpcUrl: string,
  options: ChainReaderOptions = {},
): ChainEpochRootReader {
  if (typeof rpcUrl !== "string" || !/^https?:\/\/\S+$/.test(rpcUrl)) {
    throw new TypeError(`rpcUrl must be an http(s) URL, got ${JSON.stringify(rpcUrl)}`);
  }
  const timeoutMs = options.timeoutMs ?? 10_000;
  const blockTag = options.blockTag ?? "latest";

  let provider: JsonRpcProvider | undefined;
  let providerChainId: number | undefined;
  // The chain id is asked on every read, since an endpoint can be repointed under a
  // long-lived reader; the provider is rebuilt for a new one.
  const connect = async (): Promise<[JsonRpcProvider, number]> => {
    const chainId = Number(await fetchChainId(rpcUrl));
    if (provider === undefined || providerChainId !== chainId) {
      provider?.destroy();
      const request = new FetchRequest(rpcUrl);
      request.timeout = timeoutMs;
      provider = new JsonRpcProvider(request, chainId, { staticNetwork: true, cacheTimeout: -1 });
      providerChainId = chainId;
    }
    return [provider, chainId];
  };

  const read = async (chainId: number, registry: string, epoch: number): Promise<string> => {
    const [chain, actual] = await connect();
    if (actual !== chainId) {
      throw new AnchorError("ANCHOR_WRONG_CHAIN", { expected: chainId, actual });
    }

    try {
      const address = getAddress(registry);
      if ((await chain.getCode(address, blockTag)) === "0x") {
        const reason = "no-code" as const;
        const data = { chainId, registry: address, reason, actualChainId: actual };
        throw new AnchorError("ANCHOR_REGISTRY_GONE", data);
      }

      const data = REGISTRY.encodeFunctionData("epochRoot", [epoch]);
      const result = await chain.call({ to: address, data, blockTag });
      return String(REGISTRY.decodeFunctionResult("epochRoot", result)[0]).toLowerCase();
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      throw new AnchorError("ANCHOR_CHAIN_UNREACHABLE", { rpcUrl }, { cause: error });
    }
  };

  return Object.assign(read, {
    destroy: () => {
      provider?.destroy();
      provider = undefined;
    },
  });
}
