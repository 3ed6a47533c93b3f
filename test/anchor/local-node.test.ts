import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm, symlink } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { expect } from "chai";
import { Contract, HDNodeWallet, JsonRpcProvider, keccak256, toUtf8Bytes } from "ethers";

import { deployRegistry, readArtifact, REGISTRY_ARTIFACT_PATH } from "../../ledger/anchor/deploy";
import { startLocalNode, type LocalNode } from "../../ledger/anchor/local-node";
import { expectAnchorRejection } from "./expect-anchor-error";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
// Hardhat's documented default: its built-in network has chain id 31337 and funds the
// accounts of this mnemonic.
const HARDHAT_CHAIN_ID = 31337n;
const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls until `pid` is gone; the test's own timeout bounds the wait. */
async function waitForExit(pid: number): Promise<void> {
  while (isAlive(pid)) await sleep(50);
}

/** True when a JSON-RPC endpoint answers `eth_chainId` at `rpcUrl`. */
async function answers(rpcUrl: string): Promise<boolean> {
  try {
    const response = await fetch(rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
    });
    return response.ok;
  } catch {
    return false;
  }
}

describe("startLocalNode", () => {
  let node: LocalNode | undefined;
  const providers: JsonRpcProvider[] = [];

  afterEach(async () => {
    for (const provider of providers.splice(0)) provider.destroy();
    await node?.stop();
    node = undefined;
  });

  /**
   * A provider for a Hardhat chain. Told the chain id, it never probes a stopped node; with
   * its result cache off, two transactions in a row never read the same stale nonce.
   */
  function providerOn(rpcUrl: string): JsonRpcProvider {
    const provider = new JsonRpcProvider(rpcUrl, Number(HARDHAT_CHAIN_ID), {
      staticNetwork: true,
      cacheTimeout: -1,
    });
    providers.push(provider);
    return provider;
  }

  function walletOn(rpcUrl: string): HDNodeWallet {
    return HDNodeWallet.fromPhrase(HARDHAT_MNEMONIC).connect(providerOn(rpcUrl));
  }

  describe("when started", () => {
    let shared: LocalNode;

    before(async () => {
      shared = await startLocalNode();
    });

    after(async () => {
      await shared.stop();
    });

    it("answers JSON-RPC on 127.0.0.1 with Hardhat's chain id", async () => {
      expect(shared.rpcUrl).to.equal(`http://127.0.0.1:${shared.port}`);
      expect(shared.chainId).to.equal(HARDHAT_CHAIN_ID);
      expect(await answers(shared.rpcUrl)).to.equal(true);
    });

    it("runs a registry that anchors, deployed without the Hardhat runtime", async () => {
      const wallet = walletOn(shared.rpcUrl);
      const root = keccak256(toUtf8Bytes("an epoch root"));

      const deployment = await deployRegistry(wallet);
      const { abi } = await readArtifact(REGISTRY_ARTIFACT_PATH);
      const registry = new Contract(deployment.address, abi, wallet);
      await (await registry.anchor(1, root)).wait();

      expect(deployment.chainId).to.equal(Number(HARDHAT_CHAIN_ID));
      expect(await registry.epochRoot(1)).to.equal(root);
    });
  });

  it("stops the node process itself and frees its port", async () => {
    node = await startLocalNode();
    const { pid, rpcUrl } = node;

    await node.stop();

    expect(isAlive(pid)).to.equal(false);
    expect(await answers(rpcUrl)).to.equal(false);
    await node.stop();
  });

  it("restarts on the same port with a fresh chain", async () => {
    node = await startLocalNode();
    const port = node.port;
    const first = await deployRegistry(walletOn(node.rpcUrl));
    await node.stop();

    node = await startLocalNode({ port });
    const provider = providerOn(node.rpcUrl);

    expect(node.port).to.equal(port);
    expect(await provider.getBlockNumber()).to.equal(0);
    expect(await provider.getCode(first.address)).to.equal("0x");
  });

  it("dies with the process that started it, even one killed outright", async () => {
    const owner = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", path.join(__dirname, "node-owner.ts")],
      { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] },
    );
    const [line] = (await once(owner.stdout, "data")) as [Buffer];
    const { pid, rpcUrl } = JSON.parse(line.toString("utf8")) as { pid: number; rpcUrl: string };
    expect(await answers(rpcUrl)).to.equal(true);

    owner.kill("SIGKILL");
    await waitForExit(pid);

    expect(await answers(rpcUrl)).to.equal(false);
  });

  it("refuses a port that is already taken", async () => {
    const server = createServer().listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as { port: number };

    try {
      const error = await expectAnchorRejection(
        () => startLocalNode({ port }),
        "ANCHOR_PORT_IN_USE",
      );
      expect(error.data.port).to.equal(port);
    } finally {
      server.close();
    }
  });

  it("refuses a port outside [1, 65535] as misuse", async () => {
    for (const port of [0, 65_536, 80.5]) {
      let thrown: unknown;
      await startLocalNode({ port }).catch((error: unknown) => (thrown = error));

      expect(thrown).to.be.instanceOf(RangeError);
    }
  });

  it("stops a node that does not answer in time and reports it", async () => {
    // No node answers within 0 ms of being spawned: starting Node alone takes longer.
    const error = await expectAnchorRejection(
      () => startLocalNode({ readyTimeoutMs: 0 }),
      "ANCHOR_NODE_TIMEOUT",
    );

    expect(isAlive(error.data.pid)).to.equal(false);
    expect(await answers(error.data.rpcUrl)).to.equal(false);
  });

  it("reports a node that exits before answering", async () => {
    // A folder with Hardhat installed but no config: the CLI starts, then exits with an error.
    const empty = await mkdtemp(path.join(tmpdir(), "anchorlog-no-config-"));
    await symlink(path.join(PROJECT_ROOT, "node_modules"), path.join(empty, "node_modules"));

    try {
      const error = await expectAnchorRejection(
        () => startLocalNode({ projectRoot: empty }),
        "ANCHOR_NODE_EXITED",
      );
      expect(error.data.exitCode).to.not.equal(0);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  });
});
