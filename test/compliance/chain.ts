/**
 * The chain side of the compliance tests, on Hardhat's in-process network: a registry, epochs
 * anchored with buildEpochTree over the ledger's latest checkpoints and the tenants' current
 * roots, an AnchorSource over them, and the two chain readers a verifier brings.
 */
import { getAddress, type Contract } from "ethers";
import hre from "hardhat";

import type { Ledger } from "../../ledger";
import { buildEpochTree, checkpointCommitment, originHash } from "../../ledger/anchor";
import { deployRegistry, type RegistryDeployment } from "../../ledger/anchor/deploy";
import type { AnchoredCheckpoint, AnchorSource } from "../../ledger/compliance/anchor-source";
import type { ComplianceStore } from "../../ledger/compliance/compliance-store";
import type { EpochRootReader } from "../../ledger/verify/anchor-check";
import type { AnchorBlockReader } from "../../ledger/verify/compliance-bundle";

/** Anchored checkpoints recorded as the tests anchor them. */
export class EpochAnchorSource implements AnchorSource {
  private readonly _byTenant = new Map<string, AnchoredCheckpoint[]>();

  add(tenant: string, anchored: AnchoredCheckpoint): void {
    const list = this._byTenant.get(tenant) ?? [];
    list.push(anchored);
    list.sort((a, b) => a.treeSize - b.treeSize || a.anchor.epoch - b.anchor.epoch);
    this._byTenant.set(tenant, list);
  }

  async anchoredCheckpoints(tenant: string, minTreeSize: number) {
    return (this._byTenant.get(tenant) ?? []).filter((a) => a.treeSize >= minTreeSize);
  }

  async anchoredCheckpointAt(tenant: string, epoch: number) {
    return (this._byTenant.get(tenant) ?? []).find((a) => a.anchor.epoch === epoch);
  }
}

/** A registry deployed by the first Hardhat account, which anchors. */
export interface TestRegistry {
  readonly contract: Contract;
  readonly deployment: RegistryDeployment;
}

/** Deploys a fresh AnchorRegistry. */
export async function deployTestRegistry(): Promise<TestRegistry> {
  const [deployer] = await hre.ethers.getSigners();
  const deployment = await deployRegistry(deployer);
  const contract = (await hre.ethers.getContractAt(
    "AnchorRegistry",
    deployment.address,
  )) as unknown as Contract;
  return { contract, deployment };
}

/**
 * Anchors `epoch` over the latest checkpoints of `tenants` with their current compliance
 * roots, and records each tenant's anchored checkpoint in `source`.
 */
export async function anchorEpoch(
  ledger: Ledger,
  compliance: ComplianceStore,
  registry: TestRegistry,
  source: EpochAnchorSource,
  epoch: number,
  tenants: readonly string[],
): Promise<void> {
  const commitments = tenants.map((tenant) => {
    const cp = ledger.checkpoint(tenant);
    return checkpointCommitment({
      origin: cp.origin,
      treeSize: cp.size,
      rootHash: cp.rootHash,
      ...compliance.currentRoots(tenant),
    });
  });
  const tree = buildEpochTree(commitments);

  const receipt = await (await registry.contract.anchor(epoch, tree.root)).wait();

  for (const [i, tenant] of tenants.entries()) {
    const c = commitments[i];
    source.add(tenant, {
      treeSize: Number(c.treeSize),
      anchor: {
        chainId: registry.deployment.chainId,
        registry: registry.deployment.address,
        epoch,
        epochRoot: tree.root,
        proof: tree.proof(originHash(ledger.checkpoint(tenant).origin)),
        txHash: receipt.hash,
        blockNumber: receipt.blockNumber,
        blockHash: receipt.blockHash,
        policyRoot: c.policyRoot,
        assignmentRoot: c.assignmentRoot,
      },
    });
  }
}

/** Reads epoch roots from the test registry, refusing any other chain or address. */
export function epochRootReader(registry: TestRegistry): EpochRootReader {
  return async (chainId, address, epoch) => {
    checkRegistry(registry, chainId, address);
    return String(await registry.contract.epochRoot(epoch)).toLowerCase();
  };
}

/** Finds the block of an epoch's EpochAnchored event in the test registry. */
export function anchorBlockReader(registry: TestRegistry): AnchorBlockReader {
  return async (chainId, address, epoch) => {
    checkRegistry(registry, chainId, address);
    const events = await registry.contract.queryFilter(
      registry.contract.filters.EpochAnchored(epoch),
    );
    if (events.length !== 1) throw new Error(`epoch ${epoch} has ${events.length} anchors`);
    return { blockNumber: events[0].blockNumber, blockHash: events[0].blockHash };
  };
}

function checkRegistry(registry: TestRegistry, chainId: number, address: string): void {
  const { deployment } = registry;
  if (chainId !== deployment.chainId || getAddress(address) !== deployment.address) {
    throw new Error(`no registry ${address} on chain ${chainId} here`);
  }
}
