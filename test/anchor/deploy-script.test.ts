import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

import { expect } from "chai";
import { Contract, id, JsonRpcProvider } from "ethers";

import { readArtifact, REGISTRY_ARTIFACT_PATH } from "../../ledger/anchor/deploy";
import { startLocalNode } from "../../ledger/anchor/local-node";

const PROJECT_ROOT = path.resolve(__dirname, "..", "..");
// Accounts #0 and #1 of Hardhat's default mnemonic, funded on every Hardhat chain; Hardhat
// prints them, with their keys, when its node starts.
const HARDHAT_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const HARDHAT_ADDRESS_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";
const HARDHAT_ADDRESS_1 = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
// AccessControl's admin role id is zero; the anchorer role id is keccak256("ANCHORER_ROLE").
const DEFAULT_ADMIN_ROLE = "0x" + "00".repeat(32);
const ANCHORER_ROLE = id("ANCHORER_ROLE");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function runDeploy(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const script = ["-r", "ts-node/register/transpile-only", "scripts/deploy.ts"];

  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { cwd: PROJECT_ROOT, env: { ...process.env, ANCHORLOG_DEPLOYER_KEY: "", ...env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.length > 0);
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

describe("scripts/deploy.ts", () => {
  it("exits with 2 and one line on stderr for bad arguments", async () => {
    const cases = [
      [],
      ["--rpc", "ftp://example.invalid"],
      ["--rpc", "http://127.0.0.1:8545", "--key", "0x1234"],
      ["--rpc", "http://127.0.0.1:8545", "--key", HARDHAT_KEY_0, "--confirmations", "0"],
      ["--rpc", "http://127.0.0.1:8545", "--key", HARDHAT_KEY_0, "--admin", "0x12"],
      ["--rpc", "http://127.0.0.1:8545", "--unknown"],
    ];

    for (const args of cases) {
      const run = await runDeploy(args);

      expect(run.code, args.join(" ")).to.equal(2);
      expect(lines(run.stderr), args.join(" ")).to.have.length(1);
      expect(run.stderr).to.not.include(HARDHAT_KEY_0.slice(2));
    }
  });

  it("exits with 1 and one line on stderr when no chain answers", async () => {
    const rpc = `http://127.0.0.1:${await closedPort()}`;

    const run = await runDeploy(["--rpc", rpc, "--key", HARDHAT_KEY_0]);

    expect(run.code).to.equal(1);
    expect(lines(run.stderr)).to.have.length(1);
  });

  it("deploys with the key from the environment and writes the deployment", async () => {
    const node = await startLocalNode();
    const provider = new JsonRpcProvider(node.rpcUrl, Number(node.chainId), {
      staticNetwork: true,
    });
    const folder = await mkdtemp(path.join(tmpdir(), "anchorlog-deploy-"));
    const out = path.join(folder, "deployment.json");

    try {
      const args = ["--rpc", node.rpcUrl, "--out", out, "--admin", HARDHAT_ADDRESS_1];
      const run = await runDeploy(args, { ANCHORLOG_DEPLOYER_KEY: HARDHAT_KEY_0 });
      const written = JSON.parse(await readFile(out, "utf8")) as Record<string, unknown>;
      const { abi } = await readArtifact(REGISTRY_ARTIFACT_PATH);
      const registry = new Contract(written.address as string, abi, provider);

      expect(run.code, run.stderr).to.equal(0);
      expect(written.contract).to.equal("AnchorRegistry");
      expect(written.chainId).to.equal(Number(node.chainId));
      // A fresh Hardhat chain holds only genesis (block 0); automining puts the deployment,
      // its first transaction, in block 1.
      expect(written.block).to.equal(1);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, HARDHAT_ADDRESS_1)).to.equal(true);
      expect(await registry.hasRole(DEFAULT_ADMIN_ROLE, HARDHAT_ADDRESS_0)).to.equal(false);
      expect(await registry.hasRole(ANCHORER_ROLE, HARDHAT_ADDRESS_0)).to.equal(true);
    } finally {
      provider.destroy();
      await rm(folder, { recursive: true, force: true });
      await node.stop();
    }
  });
});
