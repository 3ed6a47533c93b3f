import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { id, Wallet, type Contract } from "ethers";
import hre from "hardhat";

import { AnchorError } from "../../ledger/anchor";
import { deployRegistry, readArtifact, REGISTRY_ARTIFACT_PATH } from "../../ledger/anchor/deploy";
import { expectAnchorRejection } from "./expect-anchor-error";

// keccak256("ANCHORER_ROLE") and AccessControl's zero admin role id.
const ANCHORER_ROLE = id("ANCHORER_ROLE");
const DEFAULT_ADMIN_ROLE = "0x" + "00".repeat(32);

describe("deployRegistry", () => {
  async function registryAt(address: string): Promise<Contract> {
    return (await hre.ethers.getContractAt("AnchorRegistry", address)) as unknown as Contract;
  }

  it("deploys a registry where the deployer is admin and anchorer", async () => {
    const [deployer] = await hre.ethers.getSigners();

    const deployment = await deployRegistry(deployer);

    const registry = await registryAt(deployment.address);
    expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, deployer.address)).to.equal(true);
    expect(await registry.hasRole(ANCHORER_ROLE, deployer.address)).to.equal(true);
  });

  it("reports the chain id, block and transaction that hold the deployment", async () => {
    const [deployer] = await hre.ethers.getSigners();

    const deployment = await deployRegistry(deployer);

    const receipt = await hre.ethers.provider.getTransactionReceipt(deployment.transactionHash);
    const network = await hre.ethers.provider.getNetwork();
    expect(deployment.chainId).to.equal(Number(network.chainId));
    expect(deployment.block).to.equal(receipt?.blockNumber);
    expect(deployment.address).to.equal(receipt?.contractAddress);
    expect(await hre.ethers.provider.getCode(deployment.address)).to.not.equal("0x");
  });

  it("gives the roles to other accounts when asked", async () => {
    const [deployer, admin, anchorer] = await hre.ethers.getSigners();

    const deployment = await deployRegistry(deployer, {
      admin: admin.address,
      anchorer: anchorer.address,
    });

    const registry = await registryAt(deployment.address);
    expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, admin.address)).to.equal(true);
    expect(await registry.hasRole(ANCHORER_ROLE, anchorer.address)).to.equal(true);
    expect(await registry.hasRole(ANCHORER_ROLE, deployer.address)).to.equal(false);
  });

  it("reports a missing or malformed artifact", async () => {
    const [deployer] = await hre.ethers.getSigners();
    const folder = await mkdtemp(path.join(tmpdir(), "anchorlog-artifact-"));
    const malformed = path.join(folder, "malformed.json");
    await writeFile(malformed, JSON.stringify({ contractName: "AnchorRegistry", abi: [] }));

    try {
      for (const artifactPath of [path.join(folder, "absent.json"), malformed]) {
        const error = await expectAnchorRejection(
          () => deployRegistry(deployer, { artifactPath }),
          "ANCHOR_ARTIFACT_MISSING",
        );
        expect(error.data.path).to.equal(artifactPath);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("reports a deployment the chain refuses, keeping the chain's error as cause", async () => {
    // A fresh key holds no ether on the Hardhat network, so it cannot pay for the deployment.
    const broke = Wallet.createRandom().connect(hre.ethers.provider);

    const error = await expectAnchorRejection(() => deployRegistry(broke), "ANCHOR_DEPLOY_FAILED");

    expect(error.data.contract).to.equal("AnchorRegistry");
    expect(error.cause).to.be.instanceOf(Error);
  });

  it("rejects misuse before touching the chain", async () => {
    const [deployer] = await hre.ethers.getSigners();
    const unconnected = Wallet.createRandom();
    const cases: Array<[() => Promise<unknown>, ErrorConstructor]> = [
      [() => deployRegistry(unconnected), TypeError],
      [() => deployRegistry(deployer, { admin: "0x1234" }), TypeError],
      [() => deployRegistry(deployer, { anchorer: "not an address" }), TypeError],
      [() => deployRegistry(deployer, { confirmations: 0 }), RangeError],
    ];

    for (const [action, kind] of cases) {
      let thrown: unknown;
      await action().catch((error: unknown) => (thrown = error));

      expect(thrown).to.be.instanceOf(kind);
      expect(thrown).to.not.be.instanceOf(AnchorError);
    }
  });
});

describe("readArtifact", () => {
  it("reads the compiled registry's ABI and bytecode", async () => {
    const artifact = await readArtifact(REGISTRY_ARTIFACT_PATH);
    const fromHardhat = await hre.artifacts.readArtifact("AnchorRegistry");

    expect(artifact.contractName).to.equal("AnchorRegistry");
    expect(artifact.bytecode).to.equal(fromHardhat.bytecode);
    expect(artifact.abi).to.deep.equal(fromHardhat.abi);
  });
});
