import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { expect } from "chai";

import { ConfigError } from "../../api/startup";
import { readEpochRootFromChain } from "../../ledger/anchor";
import { generateApiKey } from "../../ledger/tenancy/api-keys";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import { anchoringFromEnv } from "../../scripts/serve-anchoring";
import { sampleEvent, tempDir } from "../helpers/temp-ledger";

const ROOT = join(__dirname, "..", "..");
const KEY = "0x" + "5a".repeat(32);
const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";

describe("anchoringFromEnv", () => {
  it("runs a local development chain when no RPC URL is set", () => {
    expect(anchoringFromEnv({})).to.deep.equal({
      rpcUrl: undefined,
      anchorKey: undefined,
      registry: undefined,
      confirmations: 1,
      epochMs: 10_000,
    });
  });

  it("reads a configured chain, with deeper confirmations by default", () => {
    const config = anchoringFromEnv({
      ANCHORLOG_RPC_URL: "https://rpc.example",
      ANCHORLOG_ANCHOR_KEY: KEY.slice(2),
      ANCHORLOG_REGISTRY: REGISTRY,
      ANCHORLOG_EPOCH_MS: "300000",
    });

    expect(config).to.deep.equal({
      rpcUrl: "https://rpc.example",
      anchorKey: KEY,
      registry: REGISTRY,
      confirmations: 12,
      epochMs: 300_000,
    });
  });

  it("refuses bad values with a ConfigError naming the variable", () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ ANCHORLOG_RPC_URL: "ws://rpc.example" }, "ANCHORLOG_RPC_URL"],
      [{ ANCHORLOG_RPC_URL: "https://rpc.example" }, "ANCHORLOG_ANCHOR_KEY"],
      [{ ANCHORLOG_ANCHOR_KEY: KEY }, "ANCHORLOG_RPC_URL"],
      [{ ANCHORLOG_REGISTRY: "0x1234" }, "ANCHORLOG_REGISTRY"],
      [{ ANCHORLOG_CONFIRMATIONS: "0" }, "ANCHORLOG_CONFIRMATIONS"],
      [{ ANCHORLOG_EPOCH_MS: "999" }, "ANCHORLOG_EPOCH_MS"],
    ];

    for (const [env, name] of cases) {
      expect(() => anchoringFromEnv(env)).to.throw(ConfigError, name);
    }
  });

  it("never echoes an anchor key", () => {
    const almost = "5a".repeat(31) + "zz";

    expect(() => anchoringFromEnv({ ANCHORLOG_RPC_URL: "http://x", ANCHORLOG_ANCHOR_KEY: almost }))
      .to.throw(ConfigError)
      .that.satisfies((error: Error) => !error.message.includes("5a5a"));
  });
});

// The whole stack from `npm start` with no chain configured: the server starts its own
// Hardhat node, deploys a registry, anchors, serves anchored receipts, and takes the node
// down with it on SIGTERM.
describe("npm start with anchoring", function () {
  this.timeout(120_000);

  let dir: ReturnType<typeof tempDir>;
  let child: ChildProcess | undefined;

  beforeEach(() => {
    dir = tempDir("anchorlog-serve-anchor-");
  });

  afterEach(() => {
    child?.kill("SIGKILL");
    dir.cleanup();
  });

  function serve(env: Record<string, string>): ChildProcess {
    child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/serve.ts"], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, ANCHORLOG_PORT: "0", ANCHORLOG_DATA_DIR: dir.dir, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    return child;
  }

  /** Resolves with the first log line whose message is `msg`. */
  function logLine(server: ChildProcess, msg: string): Promise<Record<string, unknown>> {
    return new Promise((resolve) => {
      createInterface({ input: server.stdout! }).on("line", (line) => {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if (parsed.msg === msg) resolve(parsed);
      });
    });
  }

  async function call(url: string, key: string, body?: unknown) {
    const response = await fetch(url, {
      method: body === undefined ? "GET" : "POST",
      headers: {
        authorization: `Bearer ${key}`,
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return (await response.json()) as Record<string, unknown>;
  }

  function isAlive(pid: number): boolean {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }

  it("anchors on a chain of its own and stops it on SIGTERM", async () => {
    const adminKey = generateApiKey();
    const server = serve({ ANCHORLOG_ADMIN_KEY: adminKey, ANCHORLOG_EPOCH_MS: "1000" });
    const chain = logLine(server, "local development chain started");
    const listening = logLine(server, "listening");
    const anchored = logLine(server, "epoch anchored");
    const { rpcUrl, pid } = (await chain) as { rpcUrl: string; pid: number };
    const url = String((await listening).address);

    const tenant = await call(`${url}/v1/admin/tenants`, adminKey, { id: "acme" });
    const issued = await call(`${url}/v1/admin/tenants/acme/keys`, adminKey, {
      scopes: ["append", "prove"],
    });
    await call(`${url}/v1/entries`, String(issued.key), sampleEvent(1));
    await anchored;
    const receipt = await call(`${url}/v1/entries/0/receipt`, String(issued.key));
    const reader = readEpochRootFromChain(rpcUrl);
    const verdict = await verifyAnchoredReceipt(receipt, {
      trustedKeys: [String(tenant.verifierKey)],
      readEpochRoot: reader,
    });
    reader.destroy();

    expect(receipt.status).to.equal("anchored");
    expect(verdict.ok, JSON.stringify(verdict.steps.at(-1))).to.equal(true);

    server.kill("SIGTERM");
    const [code] = (await once(server, "exit")) as [number | null];
    expect(code).to.equal(0);
    expect(isAlive(pid)).to.equal(false);
  });

  it("stops with exit code 2 and one line for a bad anchoring setting", async () => {
    const server = serve({ ANCHORLOG_RPC_URL: "http://127.0.0.1:1" });
    let stderr = "";
    server.stderr!.on("data", (chunk) => (stderr += String(chunk)));

    const [code] = (await once(server, "exit")) as [number | null];

    expect(code).to.equal(2);
    expect(stderr.trimEnd().split("\n")).to.have.length(1);
    expect(stderr).to.include("ANCHORLOG_ANCHOR_KEY");
  });
});
