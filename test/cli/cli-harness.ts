/**
 * Shared parts of the command-line tests: the real `anchorlog` binary run as a child
 * process, a real service on 127.0.0.1 serving a ledger from this process, and ledgers in
 * data folders laid out as the service keeps them (db/ and keys/).
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join, resolve } from "node:path";

import type { FastifyInstance } from "fastify";

import { buildApp } from "../../api";
import { loadOrCreateSecrets } from "../../api/startup/secrets";
import type { ReceiptSource } from "../../api/route-deps";
import { Ledger } from "../../ledger";
import { ApiKeyScope, ApiKeyStore } from "../../ledger/tenancy/api-keys";
import { sampleEvent } from "../helpers/temp-ledger";

/** The installed binary's entry point. */
export const CLI_BIN = resolve(__dirname, "..", "..", "scripts", "bin", "anchorlog.js");

/** What one run of the binary did. */
export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON document the run printed (for runs with --json), as JSON.parse gives it. */
  json(): ReturnType<typeof JSON.parse>;
}

/** Runs `anchorlog <args>` and resolves when it exits. */
export function runCli(
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI_BIN, ...args], {
      env: { ...process.env, ...opts.env },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdin.end(opts.input ?? "");
    child.once("error", reject);
    child.once("close", (code) =>
      resolvePromise({
        status: code ?? -1,
        stdout,
        stderr,
        json() {
          try {
            return JSON.parse(stdout);
          } catch {
            throw new Error(`not JSON (exit ${code}): ${stdout}\n${stderr}`);
          }
        },
      }),
    );
  });
}

/** A service on 127.0.0.1 serving `ledger`, with an operator key. */
export interface Served {
  readonly url: string;
  readonly adminKey: string;
  readonly app: FastifyInstance;
  /** Issues a key of `tenant` with `scopes`. */
  tenantKey(tenant: string, scopes?: ApiKeyScope[]): Promise<string>;
  close(): Promise<void>;
}

/** Serves `ledger` over HTTP (the ledger stays open when the service closes). */
export async function serve(ledger: Ledger, receipts?: ReceiptSource): Promise<Served> {
  const keys = await ApiKeyStore.open(ledger.store);
  const admin = await keys.issue({ tenant: null, scopes: ["admin"], label: "cli test" });
  const app = await buildApp({
    ledger,
    keys,
    receipts,
    config: { rateLimit: false, maxEventLoopDelayMs: 0 },
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    adminKey: admin.key,
    app,
    async tenantKey(tenant, scopes = ["read", "prove"]) {
      return (await keys.issue({ tenant, scopes })).key;
    },
    close: () => app.close(),
  };
}

/** Fixed key files, so two data folders can hold the same keys (a fork, a restore). */
export function writeKeyFiles(dataDir: string, masterHex: string, seedHex: string): void {
  const keys = join(dataDir, "keys");
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  writeFileSync(join(keys, "master.key"), `${masterHex}\n`, { mode: 0o600 });
  writeFileSync(join(keys, "signing.key"), `${seedHex}\n`, { mode: 0o600 });
}

/** Opens the ledger of a data folder as the service does, creating its key files if needed. */
export async function openDataDir(dataDir: string): Promise<Ledger> {
  const secrets = loadOrCreateSecrets(dataDir);
  return Ledger.open({
    path: join(dataDir, "db"),
    masterKey: secrets.masterKey,
    signingSeed: secrets.signingSeed,
    originPrefix: "cli.test/log",
  });
}

/** Appends `count` sample events to `tenant`, numbered from `from`. */
export async function appendEvents(ledger: Ledger, tenant: string, count: number, from = 0) {
  const events = Array.from({ length: count }, (_, i) => sampleEvent(from + i));
  return ledger.appendBatch(tenant, events);
}

/** Writes `value` as JSON to `path` and returns the path. */
export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, JSON.stringify(value));
  return path;
}
