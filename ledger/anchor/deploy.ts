import { readFile } from "node:fs/promises";
import path from "node:path";

import {
  ContractFactory,
  isAddress,
  type InterfaceAbi,
  type Signer,
  type TransactionReceipt,
} from "ethers";

import { AnchorError } from "./errors";

/** Where `npm run compile` writes the AnchorRegistry artifact in this project. */
export const REGISTRY_ARTIFACT_PATH = path.resolve(
  __dirname,
  "..",
  "..",
  "artifacts",
  "contracts",
  "AnchorRegistry.sol",
  "AnchorRegistry.json",
);

/** Where a registry lives: enough for a verifier to find and read it. */
export interface RegistryDeployment {
  /** The chain's EIP-155 chain id (every chain in use fits a safe integer). */
  readonly chainId: number;
  /** The registry's address, checksummed. */
  readonly address: string;
  /** The number of the block that holds the deployment. */
  readonly block: number;
  /** The hash of the deployment transaction. */
  readonly transactionHash: string;
}

/** Options of {@link deployRegistry}. */
export interface DeployRegistryOptions {
  /** Receives DEFAULT_ADMIN_ROLE; the signer's address when omitted. */
  readonly admin?: string;
  /** Receives ANCHORER_ROLE; the signer's address when omitted. */
  readonly anchorer?: string;
  /** The compiled artifact to deploy; {@link REGISTRY_ARTIFACT_PATH} when omitted. */
  readonly artifactPath?: string;
  /** Blocks to wait for after the deployment's block; 1 (the block itself) when omitted. */
  readonly confirmations?: number;
}

/** The parts of a Hardhat artifact that deploying needs. */
export interface ContractArtifact {
  readonly contractName: string;
  readonly abi: InterfaceAbi;
  readonly bytecode: string;
}

/**
 * Reads a Hardhat artifact JSON file. Throws an ANCHOR_ARTIFACT_MISSING AnchorError when the
 * file is missing, unreadable or lacks an ABI or bytecode.
 */
export async function readArtifact(artifactPath: string): Promise<ContractArtifact> {
  let artifact: Partial<ContractArtifact>;
  try {
    artifact = JSON.parse(await readFile(artifactPath, "utf8")) as Partial<ContractArtifact>;
  } catch (cause) {
    throw new AnchorError("ANCHOR_ARTIFACT_MISSING", { path: artifactPath }, { cause });
  }

  const { contractName, abi, bytecode } = artifact;
  if (typeof contractName !== "string" || !Array.isArray(abi) || typeof bytecode !== "string") {
    throw new AnchorError("ANCHOR_ARTIFACT_MISSING", { path: artifactPath });
  }
  return { contractName, abi, bytecode };
}

/**
 * Deploys an AnchorRegistry from its compiled artifact with a plain ethers ContractFactory,
 * so it needs no Hardhat runtime: any ethers v6 signer connected to a provider will do. The
 * signer becomes admin and anchorer unless the options name others. Resolves once the
 * deployment has the requested confirmations.
 *
 * Throws TypeError when the signer has no provider or an address option is not an address,
 * an ANCHOR_ARTIFACT_MISSING AnchorError when the artifact cannot be read, and an
 * ANCHOR_DEPLOY_FAILED AnchorError, with the provider's error as cause, when the chain
 * rejects or never receives the deployment.
 */
export async function deployRegistry(
  signer: Signer,
  options: DeployRegistryOptions = {},
): Promise<RegistryDeployment> {
  const provider = signer.provider;
  if (provider === null) {
    throw new TypeError("signer must be connected to a provider");
  }
  for (const role of ["admin", "anchorer"] as const) {
    const account = options[role];
    if (account !== undefined && !isAddress(account)) {
      throw new TypeError(`${role} must be an address, got ${JSON.stringify(account)}`);
    }
  }

  const confirmations = options.confirmations ?? 1;
  if (!Number.isSafeInteger(confirmations) || confirmations < 1) {
    throw new RangeError(`confirmations must be an integer of at least 1, got ${confirmations}`);
  }

  const artifact = await readArtifact(options.artifactPath ?? REGISTRY_ARTIFACT_PATH);

  let receipt: TransactionReceipt | null | undefined;
  let chainId: bigint;
  try {
    const self = await signer.getAddress();
    const factory = new ContractFactory(artifact.abi, artifact.bytecode, signer);
    const contract = await factory.deploy(options.admin ?? self, options.anchorer ?? self);
    receipt = await contract.deploymentTransaction()?.wait(confirmations);
    chainId = (await provider.getNetwork()).chainId;
  } catch (cause) {
    throw new AnchorError("ANCHOR_DEPLOY_FAILED", { contract: artifact.contractName }, { cause });
  }

  if (receipt === null || receipt === undefined || receipt.contractAddress === null) {
    throw new Error("invariant: a confirmed deployment has a receipt with a contract address");
  }
  return Object.freeze({
    chainId: Number(chainId),
    address: receipt.contractAddress,
    block: receipt.blockNumber,
    transactionHash: receipt.hash,
  });
}
