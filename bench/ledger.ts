/**
 * Ledger benchmark: durable append throughput against raw LevelDB writing the same bytes,
 * tree building against merkletreejs, and proof latency and reads per proof at 1M and 10M
 * leaves. Prints tables, then one JSON object as the last line.
 *
 * Sizes scale with BENCH_SCALE (default 1; 0.1 for a quick run).
 */
import { spawnSync } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { Level } from "level";

import { Ledger, openLevelStore } from "../ledger";
import { nodeHasher } from "../ledger/log/node-hasher";
import { TileCache } from "../ledger/log/tile-cache";
import { ReadCounter, TileTree } from "../ledger/log/tile-tree";
import { logKeys } from "../ledger/store/keys";
import { buildConsistencyProof, buildInclusionProof, rootHash, toHex } from "../ledger/verify";
import { RecordingStore } from "./lib/recording-store";
import { percentile, printJson, printTable, round } from "./lib/report";

const SCALE = Number(process.env.BENCH_SCALE ?? "1");
const APPENDS = Math.round(60_000 * SCALE);
const APPENDERS = 512;
const TREE_LEAVES = Math.round(1_000_000 * SCALE);
const PROOF_SIZES = [1_000_000, 10_000_000].map((n) => Math.round(n * SCALE));
const PROOFS = 2000;

async function main(): Promise<void> {
  const child = process.argv[2];
  if (child === "--tree") return treeChild(process.argv[3], Number(process.argv[4]));

  const figures: Record<string, unknown> = { scale: SCALE };

  const append = await benchAppend();
  Object.assign(figures, append);
  printTable(`Durable appends (${APPENDS} entries, ${APPENDERS} concurrent appenders)`, [
    ["what", "entries/s", "batches", "ratio"],
    ["raw level, same batches", append.rawEntriesPerSec, append.batches, 1],
    ["ledger append", append.ledgerEntriesPerSec, append.batches, append.appendRatio],
  ]);

  const tree = benchTree();
  Object.assign(figures, tree);
  printTable(`Tree build (${TREE_LEAVES} leaves, from leaf hashes)`, [
    ["builder", "ms", "peak MiB over inputs", "same root"],
    ["merkletreejs (RFC 6962 concatenator)", tree.merkletreejsMs, tree.merkletreejsMiB, "yes"],
    ["anchorlog tiles", tree.tilesMs, tree.tilesMiB, "yes"],
    ["ratio (merkletreejs / anchorlog)", tree.buildSpeedup, tree.memoryRatio, ""],
  ]);

  const proofRows: (string | number)[][] = [
    ["size", "proof", "p50 ms", "p99 ms", "reads mean", "reads max", "2*log2(n)"],
  ];
  for (const size of PROOF_SIZES) {
    const p = await benchProofs(size);
    figures[`proofs_${size}`] = p;
    proofRows.push([
      size,
      "inclusion",
      p.inclusionP50Ms,
      p.inclusionP99Ms,
      p.inclusionReadsMean,
      p.inclusionReadsMax,
      p.readBound,
    ]);
    proofRows.push([
      size,
      "consistency",
      p.consistencyP50Ms,
      p.consistencyP99Ms,
      p.consistencyReadsMean,
      p.consistencyReadsMax,
      p.readBound,
    ]);
  }
  printTable(`Proofs (${PROOFS} random each, cold tile cache)`, proofRows);

  printJson(figures);
}

/** Appends through the ledger, recording its batches, then replays them on raw LevelDB. */
async function benchAppend() {
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-"));
  try {
    const store = new RecordingStore(await openLevelStore(join(dir, "ledger")));
    const ledger = await Ledger.open({
      store,
      masterKey: randomBytes(32),
      signingSeed: randomBytes(32),
      originPrefix: "bench.anchorlog.dev/log",
      maxQueuedEntries: APPENDS,
    });
    await ledger.createTenant("bench");
    store.batches.length = 0;

    let next = 0;
    const started = performance.now();
    const appender = async () => {
      while (next < APPENDS) {
        const i = next++;
        await ledger.append("bench", {
          actor: `user-${i % 97}`,
          action: i % 3 === 0 ? "read" : "update",
          resource: `invoice/${i}`,
          resourceClass: "invoice",
          timestamp: new Date(1_780_000_000_000 + i).toISOString(),
          attributes: { ip: "192.0.2.1", amount: i % 1000 },
        });
      }
    };
    await Promise.all(Array.from({ length: APPENDERS }, appender));
    const ledgerSec = (performance.now() - started) / 1000;
    await ledger.close();
    await store.close();

    const raw = new Level<string, Uint8Array>(join(dir, "raw"), { valueEncoding: "view" });
    await raw.open();
    const rawStarted = performance.now();
    for (const batch of store.batches) await raw.batch(batch, { sync: true });
    const rawSec = (performance.now() - rawStarted) / 1000;
    await raw.close();

    const ledgerEntriesPerSec = APPENDS / ledgerSec;
    const rawEntriesPerSec = APPENDS / rawSec;
    return {
      ledgerEntriesPerSec: round(ledgerEntriesPerSec),
      rawEntriesPerSec: round(rawEntriesPerSec),
      appendRatio: round(ledgerEntriesPerSec / rawEntriesPerSec),
      batches: store.batches.length,
      meanEntriesPerBatch: round(APPENDS / store.batches.length),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs each tree builder in its own process so peak memory is its own. */
function benchTree() {
  const run = (which: string) => {
    const out = spawnSync(
      process.execPath,
      [...process.execArgv, __filename, "--tree", which, String(TREE_LEAVES)],
      {
        encoding: "utf8",
        maxBuffer: 1 << 20,
      },
    );
    if (out.status !== 0) throw new Error(`tree child ${which} failed: ${out.stderr}`);
    return JSON.parse(out.stdout.trim().split("\n").pop()!) as {
      ms: number;
      maxRssMiB: number;
      root: string;
    };
  };

  const inputs = run("inputs");
  const mt = run("merkletreejs");
  const tiles = run("tiles");
  if (mt.root !== tiles.root)
    throw new Error(`roots differ: merkletreejs ${mt.root}, tiles ${tiles.root}`);
  const mtMiB = mt.maxRssMiB - inputs.maxRssMiB;
  const tilesMiB = tiles.maxRssMiB - inputs.maxRssMiB;
  return {
    treeLeaves: TREE_LEAVES,
    merkletreejsMs: round(mt.ms),
    tilesMs: round(tiles.ms),
    buildSpeedup: round(mt.ms / tiles.ms),
    inputsMaxRssMiB: round(inputs.maxRssMiB),
    merkletreejsMiB: round(mtMiB),
    tilesMiB: round(tilesMiB),
    memoryRatio: round(mtMiB / Math.max(tilesMiB, 1)),
  };
}

/** Child: builds one tree over deterministic leaf hashes and reports time, peak RSS, root. */
async function treeChild(which: string, n: number): Promise<void> {
  const leaves: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    leaves.push(nodeHasher.leaf(createHash("sha256").update(String(i)).digest()));
  }

  let root = "";
  const started = performance.now();
  if (which === "merkletreejs") {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { MerkleTree } = require("merkletreejs");
    const sha = (data: Buffer) => createHash("sha256").update(data).digest();
    const tree = new MerkleTree(
      leaves.map((l) => Buffer.from(l)),
      sha,
      {
        hashLeaves: false,
        concatenator: (parts: Buffer[]) => Buffer.concat([Buffer.of(1), ...parts]),
      },
    );
    root = tree.getRoot().toString("hex");
  } else if (which === "tiles") {
    // The ledger's own path: stage 64k leaves at a time, write the tiles, keep only the edge.
    const written = new Map<string, Uint8Array>();
    const store = {
      get: async (k: string) => written.get(k),
      getMany: async (ks: readonly string[]) => ks.map((k) => written.get(k)),
      batch: async (ops: readonly { type: string; key: string; value?: Uint8Array }[]) => {
        for (const op of ops) if (op.value) written.set(op.key, op.value);
      },
      entries: async function* () {},
      compact: async () => {},
      close: async () => {},
    };
    const tree = await TileTree.load(store, logKeys("bench"), nodeHasher, new TileCache(0), 0);
    for (let at = 0; at < n; at += 65536) {
      const staged = tree.stage(leaves.slice(at, at + 65536));
      await store.batch(tree.writes(staged));
      tree.commit(staged);
    }
    root = toHex(await rootHash(tree.source(), nodeHasher, n));
  }
  const ms = performance.now() - started;
  console.log(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, root }));
}

/** Builds a tile store of `size` leaves in LevelDB, then times random proofs with a cold cache. */
async function benchProofs(size: number) {
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-proofs-"));
  try {
    const store = await openLevelStore(dir);
    const keys = logKeys("bench");
    const writer = await TileTree.load(store, keys, nodeHasher, new TileCache(0), 0);
    const chunk = 65536;
    for (let at = 0; at < size; at += chunk) {
      const hashes = Array.from({ length: Math.min(chunk, size - at) }, () =>
        nodeHasher.leaf(randomBytes(8)),
      );
      const staged = writer.stage(hashes);
      await store.batch(writer.writes(staged), { sync: false });
      writer.commit(staged);
    }

    const tree = await TileTree.load(store, keys, nodeHasher, new TileCache(0), size);
    const inclusion = { ms: [] as number[], reads: [] as number[] };
    const consistency = { ms: [] as number[], reads: [] as number[] };
    for (let k = 0; k < PROOFS; k++) {
      const index = Math.floor(Math.random() * size);
      let counter: ReadCounter = { reads: 0 };
      let t = performance.now();
      await buildInclusionProof(tree.source(undefined, counter), nodeHasher, index, size);
      inclusion.ms.push(performance.now() - t);
      inclusion.reads.push(counter.reads);

      const size1 = 1 + Math.floor(Math.random() * (size - 1));
      counter = { reads: 0 };
      t = performance.now();
      await buildConsistencyProof(tree.source(undefined, counter), nodeHasher, size1, size);
      consistency.ms.push(performance.now() - t);
      consistency.reads.push(counter.reads);
    }
    await store.close();

    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      size,
      readBound: Math.ceil(2 * Math.log2(size)),
      inclusionP50Ms: round(percentile(inclusion.ms, 50)),
      inclusionP99Ms: round(percentile(inclusion.ms, 99)),
      inclusionReadsMean: round(mean(inclusion.reads)),
      inclusionReadsMax: Math.max(...inclusion.reads),
      consistencyP50Ms: round(percentile(consistency.ms, 50)),
      consistencyP99Ms: round(percentile(consistency.ms, 99)),
      consistencyReadsMean: round(mean(consistency.reads)),
      consistencyReadsMax: Math.max(...consistency.reads),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
