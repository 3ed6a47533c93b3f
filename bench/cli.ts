/**
 * Command-line benchmark: receipts verified per second in-process (ledger/verify) and
 * through the `anchorlog` binary on one file of many receipts, and the time to verify a
 * consistency chain across 1,000 signed checkpoints. Baselines, measured in the same run:
 * raw RFC 9162 inclusion-proof verification (no signature, no parsing) for receipts, and
 * the same chain's consistency proofs without their signature checks for the chain.
 * Prints tables, then one JSON object as the last line.
 *
 * Sizes scale with BENCH_SCALE (default 1; 0.1 for a quick run).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

import { Ledger } from "../ledger";
import { bytesEqual, fromBase64, fromHex } from "../ledger/verify/bytes";
import { verifyCheckpoint, type SignedCheckpoint } from "../ledger/verify/checkpoint";
import { verifyConsistency } from "../ledger/verify/consistency";
import { leafHash } from "../ledger/verify/hash";
import { rootFromInclusionProof } from "../ledger/verify/inclusion";
import { parseVerifierKey } from "../ledger/verify/note";
import { verifyReceipt, type Receipt } from "../ledger/verify/receipt";
import { printJson, printTable, round } from "./lib/report";

const SCALE = Number(process.env.BENCH_SCALE ?? "1");
const RECEIPTS = Math.max(100, Math.round(5_000 * SCALE));
const CHECKPOINTS = 1_000;
const CLI_BIN = resolve(__dirname, "..", "scripts", "bin", "anchorlog.js");

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-cli-"));
  try {
    const ledger = await Ledger.open({
      path: join(dir, "db"),
      masterKey: new Uint8Array(32).fill(1),
      signingSeed: new Uint8Array(32).fill(2),
      originPrefix: "bench.anchorlog/log",
    });
    const { receipts, key } = await makeReceipts(ledger);
    const chain = await makeChain(ledger);
    await ledger.close();

    const figures: Record<string, unknown> = { scale: SCALE, receipts: RECEIPTS };
    Object.assign(figures, benchReceipts(receipts, key, dir));
    Object.assign(figures, benchChain(chain));
    printJson(figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function makeReceipts(ledger: Ledger): Promise<{ receipts: Receipt[]; key: string }> {
  await ledger.createTenant("acme");
  for (let i = 0; i < RECEIPTS; i += 1000) {
    const n = Math.min(1000, RECEIPTS - i);
    await ledger.appendBatch(
      "acme",
      Array.from({ length: n }, (_, j) => ({
        actor: `user-${(i + j) % 13}`,
        action: "invoice.approve",
        resource: `invoice/${i + j}`,
        timestamp: "2026-12-03T13:05:44Z",
      })),
    );
  }
  const receipts: Receipt[] = [];
  for (let i = 0; i < RECEIPTS; i++) receipts.push(await ledger.receipt("acme", i));
  return { receipts, key: ledger.verifierKey("acme") };
}

interface Chain {
  key: string;
  notes: string[];
  proofs: Uint8Array[][];
}

// 1,000 checkpoints of a second tenant, one per batch of 1-7 entries, and the consistency
// proof between each pair of neighbours.
async function makeChain(ledger: Ledger): Promise<Chain> {
  await ledger.createTenant("chain");
  const notes: string[] = [];
  for (let i = 0; i < CHECKPOINTS; i++) {
    const n = 1 + (i % 7);
    const events = Array.from({ length: n }, (_, j) => ({
      actor: "svc",
      action: "write",
      resource: `doc/${i}/${j}`,
      timestamp: "2026-12-03T13:05:44Z",
    }));
    await ledger.appendBatch("chain", events);
    notes.push(ledger.checkpoint("chain").note);
  }
  const sizes = notes.map((n) => Number(n.split("\n")[1]));
  const proofs: Uint8Array[][] = [];
  for (let i = 1; i < sizes.length; i++) {
    const proof = await ledger.consistencyProof("chain", sizes[i - 1], sizes[i]);
    proofs.push(proof.map(fromHex));
  }
  return { key: ledger.verifierKey("chain"), notes, proofs };
}

function perSecond(count: number, ms: number): number {
  return (count / ms) * 1000;
}

function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

function benchReceipts(receipts: Receipt[], key: string, dir: string): Record<string, number> {
  // Baseline: the proof arithmetic alone, on bytes decoded beforehand.
  const decoded = receipts.map((r) => ({
    index: r.index,
    size: r.treeSize,
    leaf: leafHash(fromBase64(r.leafData)),
    proof: r.inclusionProof.map((p) => fromBase64(p)),
  }));
  const root = rootFromInclusionProof(
    decoded[0].index,
    decoded[0].size,
    decoded[0].leaf,
    decoded[0].proof,
  );
  const rawMs = timed(() => {
    for (const d of decoded) {
      if (!bytesEqual(rootFromInclusionProof(d.index, d.size, d.leaf, d.proof), root)) {
        throw new Error("baseline proof failed");
      }
    }
  });

  const moduleMs = timed(() => {
    for (const r of receipts) if (!verifyReceipt(r, [key]).ok) throw new Error("receipt failed");
  });

  const file = join(dir, "receipts.json");
  writeFileSync(file, JSON.stringify(receipts));
  const one = join(dir, "one.json");
  writeFileSync(one, JSON.stringify(receipts[0]));
  const cli = (path: string): number => {
    const start = performance.now();
    const run = spawnSync(process.execPath, [CLI_BIN, "--json", "verify", path, "--key", key], {
      encoding: "utf8",
      maxBuffer: 1 << 30,
    });
    const ms = performance.now() - start;
    if (run.status !== 0) throw new Error(`anchorlog verify failed: ${run.stderr}`);
    return ms;
  };
  const startupMs = Math.min(cli(one), cli(one));
  const cliMs = cli(file);

  const raw = perSecond(receipts.length, rawMs);
  const mod = perSecond(receipts.length, moduleMs);
  const viaCli = perSecond(receipts.length, cliMs);
  const viaCliWarm = perSecond(receipts.length - 1, Math.max(1, cliMs - startupMs));
  printTable(`Receipt verification (${receipts.length} receipts, one file for the CLI)`, [
    ["path", "receipts/s", "x baseline"],
    ["raw inclusion proofs (baseline)", raw, 1],
    ["verifyReceipt, in-process", mod, mod / raw],
    ["anchorlog verify, whole run", viaCli, viaCli / raw],
    ["anchorlog verify, after start-up", viaCliWarm, viaCliWarm / raw],
  ]);
  console.log(`anchorlog start-up and one receipt: ${round(startupMs)} ms`);
  return {
    rawInclusionPerSec: round(raw),
    verifyModulePerSec: round(mod),
    cliPerSec: round(viaCli),
    cliAfterStartupPerSec: round(viaCliWarm),
    cliStartupMs: round(startupMs),
    moduleVsBaseline: round(mod / raw),
    cliVsBaseline: round(viaCli / raw),
    cliVsModule: round(viaCli / mod),
  };
}

function benchChain(chain: Chain): Record<string, number> {
  const verifiers = [parseVerifierKey(chain.key)];

  let parsed: SignedCheckpoint[] = [];
  const fullMs = timed(() => {
    parsed = chain.notes.map((n) => verifyCheckpoint(n, verifiers));
    for (let i = 1; i < parsed.length; i++) {
      const [a, b] = [parsed[i - 1], parsed[i]];
      verifyConsistency(a.size, b.size, chain.proofs[i - 1], a.rootHash, b.rootHash);
    }
  });
  const proofsMs = timed(() => {
    for (let i = 1; i < parsed.length; i++) {
      const [a, b] = [parsed[i - 1], parsed[i]];
      verifyConsistency(a.size, b.size, chain.proofs[i - 1], a.rootHash, b.rootHash);
    }
  });

  printTable(`Consistency chain across ${chain.notes.length} checkpoints`, [
    ["work", "ms", "x baseline"],
    ["consistency proofs only (baseline)", proofsMs, 1],
    ["signatures + consistency proofs", fullMs, fullMs / proofsMs],
  ]);
  return {
    checkpoints: chain.notes.length,
    chainProofsOnlyMs: round(proofsMs),
    chainVerifyMs: round(fullMs),
    chainVsBaseline: round(fullMs / proofsMs),
  };
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
