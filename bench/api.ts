/**
 * API benchmark, measured over real HTTP with autocannon against servers in child
 * processes, with baselines measured in the same run:
 *
 * - single-entry appends (POST /v1/entries: auth, validation, durable append) against a bare
 *   Fastify route that only validates the same body with the same schema;
 * - batch appends (POST /v1/entries/batch, 100 events each) in entries/s against the ledger
 *   core's own appendBatch with as many concurrent callers as HTTP connections.
 *
 * A third baseline, the core's own single appends with as many callers as connections,
 * separates what HTTP and the API cost from what durable group commit costs.
 *
 * Rate limiting is off in the measured server (it would cap what is measured); everything
 * else (helmet, load shedding, metrics, idempotency gate) is on. Load generator and server
 * share the machine's cores, as they would with any local run.
 *
 *   npm run bench:api          (about 90 s; BENCH_SECONDS=5 for a quicker run)
 */
import { ChildProcess, fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Fastify from "fastify";

import { buildApp, createApiMetrics } from "../api";
import { AuditEventSchema, BatchBodySchema } from "../api/schemas";
import { Ledger } from "../ledger";
import { ApiKeyStore } from "../ledger/tenancy/api-keys";
import { percentile, printJson, printTable, round } from "./lib/report";

const SECONDS = Number(process.env.BENCH_SECONDS ?? "10");
const WARMUP_SECONDS = 2;
const SINGLE_CONNECTIONS = 50;
const BATCH_CONNECTIONS = 8;
const BATCH_EVENTS = 100;

/** The same event for every request; appends of equal events are still distinct entries. */
const EVENT = {
  actor: "user-42",
  action: "update",
  resource: "invoice/2026/0042",
  resourceClass: "invoice",
  timestamp: "2026-12-03T13:05:44Z",
  attributes: { ip: "10.0.0.1", amount: 1250, currency: "EUR" },
};
const BATCH = { events: Array.from({ length: BATCH_EVENTS }, () => EVENT) };

// autocannon ships without types; these are the fields used here.
interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type Cannon = (opts: Record<string, unknown>) => Promise<CannonResult>;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require("autocannon") as Cannon;

type Mode = "full" | "bare" | "core";

interface Ready {
  port: number;
  key: string;
}

interface CoreResult {
  entriesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

interface CoreResults {
  single: CoreResult;
  batch: CoreResult;
}

async function main(): Promise<void> {
  if (process.argv[2] === "--child") return child(process.argv[3] as Mode);

  const bare = await spawnChild("bare");
  const bareSingle = await load(bare, "/bare/entries", EVENT, SINGLE_CONNECTIONS);
  await stopChild(bare.child);

  const full = await spawnChild("full");
  const apiSingle = await load(full, "/v1/entries", EVENT, SINGLE_CONNECTIONS);
  const apiBatch = await load(full, "/v1/entries/batch", BATCH, BATCH_CONNECTIONS);
  await stopChild(full.child);

  const core = await spawnChild("core");
  const { single: coreSingle, batch: coreBatch } = (await message(core.child)) as CoreResults;
  await stopChild(core.child);

  const apiBatchEntries = apiBatch.requests.average * BATCH_EVENTS;
  const singleRatio = apiSingle.requests.average / bareSingle.requests.average;
  const singleCoreRatio = apiSingle.requests.average / coreSingle.entriesPerSecond;
  const batchRatio = apiBatchEntries / coreBatch.entriesPerSecond;

  printTable(`API throughput (${SECONDS} s per run after ${WARMUP_SECONDS} s warm-up)`, [
    ["what", "connections", "req/s", "entries/s", "p50 ms", "p99 ms"],
    row("bare Fastify, validate only (baseline)", SINGLE_CONNECTIONS, bareSingle, 1),
    row("POST /v1/entries", SINGLE_CONNECTIONS, apiSingle, 1),
    coreRow("ledger.append (baseline)", SINGLE_CONNECTIONS, coreSingle, 1),
    row(`POST /v1/entries/batch (${BATCH_EVENTS}/req)`, BATCH_CONNECTIONS, apiBatch, BATCH_EVENTS),
    coreRow(
      `ledger.appendBatch (${BATCH_EVENTS}/call, baseline)`,
      BATCH_CONNECTIONS,
      coreBatch,
      BATCH_EVENTS,
    ),
  ]);
  printTable("Ratios", [
    ["ratio", "value", "goal"],
    ["single appends / bare validation", round(singleRatio), ">= 0.8"],
    ["single appends / ledger append", round(singleCoreRatio), "-"],
    ["batch entries/s / ledger appendBatch", round(batchRatio), ">= 0.6"],
  ]);
  printJson({
    seconds: SECONDS,
    singleConnections: SINGLE_CONNECTIONS,
    batchConnections: BATCH_CONNECTIONS,
    batchEvents: BATCH_EVENTS,
    bareValidateReqPerSecond: round(bareSingle.requests.average),
    bareValidateP50Ms: bareSingle.latency.p50,
    bareValidateP99Ms: bareSingle.latency.p99,
    apiSingleReqPerSecond: round(apiSingle.requests.average),
    apiSingleP50Ms: apiSingle.latency.p50,
    apiSingleP99Ms: apiSingle.latency.p99,
    apiBatchReqPerSecond: round(apiBatch.requests.average),
    apiBatchEntriesPerSecond: round(apiBatchEntries),
    apiBatchP50Ms: apiBatch.latency.p50,
    apiBatchP99Ms: apiBatch.latency.p99,
    coreSingleEntriesPerSecond: round(coreSingle.entriesPerSecond),
    coreSingleP50Ms: round(coreSingle.p50Ms),
    coreSingleP99Ms: round(coreSingle.p99Ms),
    coreBatchEntriesPerSecond: round(coreBatch.entriesPerSecond),
    coreBatchP50Ms: round(coreBatch.p50Ms),
    coreBatchP99Ms: round(coreBatch.p99Ms),
    singleToBareRatio: round(singleRatio),
    singleGoalMet: singleRatio >= 0.8,
    singleToCoreRatio: round(singleCoreRatio),
    batchToCoreRatio: round(batchRatio),
    batchGoalMet: batchRatio >= 0.6,
    failedRequests: [bareSingle, apiSingle, apiBatch].reduce(
      (n, r) => n + r.non2xx + r.errors + r.timeouts,
      0,
    ),
  });
}

function coreRow(what: string, callers: number, r: CoreResult, perCall: number) {
  const calls = r.entriesPerSecond / perCall;
  return [what, callers, round(calls), round(r.entriesPerSecond), round(r.p50Ms), round(r.p99Ms)];
}

function row(what: string, connections: number, r: CannonResult, perRequest: number) {
  const rps = r.requests.average;
  return [what, connections, round(rps), round(rps * perRequest), r.latency.p50, r.latency.p99];
}

/** Warms up, then measures; fails on any non-2xx answer or socket error. */
async function load(
  target: Ready & { child: ChildProcess },
  path: string,
  body: unknown,
  connections: number,
): Promise<CannonResult> {
  const opts = {
    url: `http://127.0.0.1:${target.port}${path}`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.key}` },
    body: JSON.stringify(body),
    connections,
  };

  await autocannon({ ...opts, duration: WARMUP_SECONDS });
  const result = await autocannon({ ...opts, duration: SECONDS });

  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${path}: ${failed} of ${result.requests.total} requests failed`);
  return result;
}

async function spawnChild(mode: Mode): Promise<Ready & { child: ChildProcess }> {
  const child = fork(__filename, ["--child", mode], {
    execArgv: ["-r", "ts-node/register/transpile-only"],
  });
  const ready = mode === "core" ? { port: 0, key: "" } : ((await message(child)) as Ready);
  return { ...ready, child };
}

function message(child: ChildProcess): Promise<unknown> {
  return new Promise((resolve, reject) => {
    child.once("message", resolve);
    child.once("exit", (code) => reject(new Error(`child exited with ${code}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.send("stop");
  });
}

// ---- children ----

async function child(mode: Mode): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-api-"));
  const cleanup: (() => Promise<void>)[] = [
    async () => rmSync(dir, { recursive: true, force: true }),
  ];
  process.on("message", async () => {
    for (const step of cleanup.reverse()) await step();
    process.exit(0);
  });

  if (mode === "bare") {
    const app = Fastify({
      ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false } },
    });
    app.post("/bare/entries", { schema: { body: AuditEventSchema } }, async (_req, reply) => {
      reply.code(201);
      return { ok: true };
    });
    app.post("/bare/entries/batch", { schema: { body: BatchBodySchema } }, async (_req, reply) => {
      reply.code(201);
      return { ok: true };
    });
    await app.listen({ port: 0, host: "127.0.0.1" });
    cleanup.push(() => app.close());
    process.send!({ port: portOf(app.server.address()), key: "none" });
    return;
  }

  const metrics = createApiMetrics();
  const ledger = await Ledger.open({
    path: join(dir, "db"),
    masterKey: new Uint8Array(32).fill(1),
    signingSeed: new Uint8Array(32).fill(2),
    originPrefix: "bench.anchorlog.dev/log",
    onCommit: metrics.onCommit,
  });
  cleanup.push(() => ledger.close());
  await ledger.createTenant("bench");

  if (mode === "core") {
    const single = await coreThroughput(SINGLE_CONNECTIONS, () => ledger.append("bench", EVENT), 1);
    const batch = await coreThroughput(
      BATCH_CONNECTIONS,
      () => ledger.appendBatch("bench", BATCH.events),
      BATCH_EVENTS,
    );
    process.send!({ single, batch } satisfies CoreResults);
    return;
  }

  const keys = await ApiKeyStore.open(ledger.store);
  const { key } = await keys.issue({ tenant: "bench", scopes: ["append"] });
  const app = await buildApp({ ledger, keys, metrics, config: { rateLimit: false } });
  await app.listen({ port: 0, host: "127.0.0.1" });
  cleanup.push(() => app.close());
  process.send!({ port: portOf(app.server.address()), key });
}

/** `call` (appending `perCall` entries) from `callers` concurrent callers, warm-up then SECONDS. */
async function coreThroughput(
  callers: number,
  call: () => Promise<unknown>,
  perCall: number,
): Promise<CoreResult> {
  const run = async (seconds: number, latencies: number[]) => {
    const end = performance.now() + seconds * 1000;
    let entries = 0;
    const caller = async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await call();
        latencies.push(performance.now() - t0);
        entries += perCall;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: callers }, caller));
    return entries / ((performance.now() - t0) / 1000);
  };

  await run(WARMUP_SECONDS, []);
  const latencies: number[] = [];
  const entriesPerSecond = await run(SECONDS, latencies);
  return {
    entriesPerSecond,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

function portOf(address: unknown): number {
  return (address as { port: number }).port;
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
