/**
 * The chain reads a compliance verification needs, over one JSON-RPC endpoint: epoch roots
 * (through the anchor layer's reader) and the block that anchored an epoch (for sampling
 * audits, whose windows that block's hash chose).
 */
import { Contract, getAddress, JsonRpcProvider } from "ethers";

import { readEpochRootFromChain } from "../../ledger/anchor/read-epoch-root";
import { fetchChainId } from "../../ledger/anchor/fetch-chain-id";
import { REGISTRY_ABI } from "../../ledger/anchor/registry-abi";
import type { EpochRootReader } from "../../ledger/verify/anchor-check";
import type { AnchorBlockReader } from "../../ledger/verify/compliance-bundle";

/** Chain readers over one endpoint; `close` releases them. */
export interface ComplianceChain {
  readonly readEpochRoot: EpochRootReader;
  readonly readAnchorBlock: AnchorBlockReader;
  close(): void;
}

/** Readers over `rpcUrl`. They throw when the chain or registry is not the one named. */
export function complianceChain(rpcUrl: string): ComplianceChain {
  const roots = readEpochRootFromChain(rpcUrl);
  const providers: JsonRpcProvider[] = [];

  const readAnchorBlock: AnchorBlockReader = async (chainId, registry, epoch) => {
    const actual = Number(await fetchChainId(rpcUrl));
    if (actual !== chainId) throw new Error(`the endpoint serves chain ${actual}, not ${chainId}`);
    const provider = new JsonRpcProvider(rpcUrl, chainId, {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    providers.push(provider);
    const contract = new Contract(getAddress(registry), REGISTRY_ABI as string[], provider);

    const events = await contract.queryFilter(contract.filters.EpochAnchored(epoch));
    if (events.length !== 1) {
      throw new Error(`registry ${registry} has ${events.length} anchors of epoch ${epoch}`);
    }
    return { blockNumber: events[0].blockNumber, blockHash: events[0].blockHash };
  };

  return {
    readEpochRoot: roots,
    readAnchorBlock,
    close() {
      roots.destroy();
      for (const p of providers) p.destroy();
    },
  };
}
