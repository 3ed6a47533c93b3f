/**
 * The server process (`npm start`) over real HTTP: first start creates private key files and
 * an operator key file, a client runs the README walk-through (tenant, key, append, receipt),
 * SIGTERM closes cleanly, a restart reuses every key, and bad settings stop it with exit
 * code 2 and one line.
 */
import assert from "node:assert/strict";
import { ChildProcess, spawn } from "node:child_process";
import { chmodSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { verifyReceipt } from "../../ledger/verify";
import { sampleEvent, tempDir } from "../helpers/temp-ledger";
import { secretOf } from "./harness";

const ROOT = join(__dirname, "..", "..");

interface Server {
  child: ChildProcess;
  url: string;
  lines: Record<string, unknown>[];
  stdout: () => string;
}

/** Every server started, so a failed test never leaves one running. */
const started: ChildProcess[] = [];

function run(env: Record<string, string>): ChildProcess {
  const child = spawn(
    process.execPath,
    ["-r", "ts-node/register/transpile-only", "scripts/serve.ts"],
    { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, stdio: ["ignore", "pipe", "pipe"] },
  );
  started.push(child);
  return child;
}

/** Starts the server and resolves once it logs that it listens. */
function start(env: Record<string, string>): Promise<Server> {
  const child = run(env);
  const lines: Record<string, unknown>[] = [];
  let raw = "";
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      raw += `${line}\n`;
      const parsed = JSON.parse(line) as Record<string, unknown>;
      lines.push(parsed);
      if (parsed.msg === "listening") {
        resolve({ child, url: String(parsed.address), lines, stdout: () => raw });
      }
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
}

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

async function request(url: string, key: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(url, {
    method: init.method ?? "GET",
    headers: {
      authorization: `Bearer ${key}`,
      ...(init.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("npm start (scripts/serve.ts)", function () {
  // Each start compiles the service with ts-node: seconds on an idle machine, more on a busy one.
  this.timeout(180_000);

  let dir: ReturnType<typeof tempDir>;
  let env: Record<string, string>;

  beforeEach(() => {
    dir = tempDir("anchorlog-serve-");
    env = {
      ANCHORLOG_PORT: "0",
      ANCHORLOG_DATA_DIR: join(dir.dir, "data"),
      ANCHORLOG_ORIGIN_PREFIX: "serve.test/log",
    };
  });

  // SIGTERM, not SIGKILL: the server then also stops the chain node it may have started.
  afterEach(async () => {
    for (const child of started.splice(0)) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = exitOf(child);
      child.kill("SIGTERM");
      await exited;
    }
    dir.cleanup();
  });

  it("serves the walk-through over HTTP, closes on SIGTERM, and reuses its keys on restart", async () => {
    const server = await start(env);
    const keysDir = join(env.ANCHORLOG_DATA_DIR, "keys");
    const adminKey = readFileSync(join(keysDir, "admin.key"), "utf8").trim();

    assert.equal(statSync(keysDir).mode & 0o777, 0o700);
    for (const file of ["admin.key", "master.key", "signing.key"]) {
      assert.equal(statSync(join(keysDir, file)).mode & 0o777, 0o600, file);
    }
    const generated = server.lines.find((l) => l.msg === "operator key generated");
    assert.equal(generated?.path, join(keysDir, "admin.key"));
    assert.ok(!server.stdout().includes(secretOf(adminKey)), "the key itself is never logged");

    const tenant = await request(`${server.url}/v1/admin/tenants`, adminKey, {
      method: "POST",
      body: { id: "acme" },
    });
    const issued = await request(`${server.url}/v1/admin/tenants/acme/keys`, adminKey, {
      method: "POST",
      body: { scopes: ["append", "read", "prove"] },
    });
    const key = String(issued.body.key);
    const appended = await request(`${server.url}/v1/entries`, key, {
      method: "POST",
      body: sampleEvent(1),
    });
    const receipt = await request(`${server.url}/v1/entries/0/receipt`, key);

    assert.equal(tenant.status, 201);
    assert.equal(appended.status, 201);
    assert.equal(receipt.status, 200);
    assert.equal(verifyReceipt(receipt.body, [String(tenant.body.verifierKey)]).ok, true);

    server.child.kill("SIGTERM");
    assert.equal(await exitOf(server.child), 0);
    assert.ok(server.lines.some((l) => l.msg === "closed"));

    const again = await start(env);
    try {
      assert.ok(again.lines.some((l) => l.msg === "operator keys in place"));
      assert.equal(readFileSync(join(keysDir, "admin.key"), "utf8").trim(), adminKey);
      const after = await request(`${again.url}/v1/admin/tenants/acme`, adminKey);
      const entry = await request(`${again.url}/v1/entries/0`, key);
      assert.equal(after.body.verifierKey, tenant.body.verifierKey, "same signing key");
      assert.deepEqual(entry.body.event, sampleEvent(1), "same master key");
    } finally {
      again.child.kill("SIGINT");
      assert.equal(await exitOf(again.child), 0);
    }
  });

  it("stops with exit code 2 and one line for a bad setting", async () => {
    const child = run({ ...env, ANCHORLOG_PORT: "http" });
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));

    assert.equal(await exitOf(child), 2);
    assert.match(stderr, /^anchorlog: ANCHORLOG_PORT="http" is not a port 0-65535\n$/);
  });

  it("refuses key files that others can read", async () => {
    const first = await start(env);
    first.child.kill("SIGTERM");
    await exitOf(first.child);
    chmodSync(join(env.ANCHORLOG_DATA_DIR, "keys", "master.key"), 0o644);

    const child = run(env);
    let stderr = "";
    child.stderr!.on("data", (d) => (stderr += String(d)));

    assert.equal(await exitOf(child), 2);
    assert.match(stderr, /master\.key is accessible by others \(mode 644\); run chmod 600/);
  });

  it("accepts an operator key from ANCHORLOG_ADMIN_KEY", async () => {
    const key = `al_00112233445566aa_${"k".repeat(43)}`;
    const server = await start({ ...env, ANCHORLOG_ADMIN_KEY: key });
    try {
      const res = await request(`${server.url}/v1/admin/keys`, key);

      assert.equal(res.status, 200);
      assert.deepEqual(
        (res.body.keys as { id: string }[]).map((k) => k.id),
        ["00112233445566aa"],
        "no key was generated beside it",
      );
    } finally {
      server.child.kill("SIGTERM");
      await exitOf(server.child);
    }
  });
});
