import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { join } from "node:path";

import { Ledger } from "../../ledger";
import {
  fromHex,
  leafHash,
  toHex,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from "../../ledger/verify";
import { openTestLedger, tempDir } from "../helpers/temp-ledger";

const ROUNDS = 20;
const CHILD = join(__dirname, "../fixtures/crash-child.ts");

interface ChildRun {
  acked: Map<number, string>;
  checkpoints: string[];
}

/**
 * Runs the child until it has acknowledged something, lets it append for a random while, then
 * kills it with SIGKILL and returns what it acknowledged.
 */
function runAndKill(dir: string, tenant: string, killAfterMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["-r", "ts-node/register/transpile-only", CHILD, dir, tenant],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const run: ChildRun = { acked: new Map(), checkpoints: [] };
    let buffered = "";
    let stderr = "";
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const lines = buffered.split("\n");
      buffered = lines.pop()!;
      for (const line of lines) {
        const msg = JSON.parse(line);
        if (msg.i !== undefined) run.acked.set(msg.i, msg.h);
        if (msg.cp !== undefined) run.checkpoints.push(msg.cp);
        if (msg.ready !== undefined && timer === undefined) {
          timer = setTimeout(() => child.kill("SIGKILL"), killAfterMs);
        }
      }
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(run);
      else reject(new Error(`child exited with ${code}: ${stderr}`));
    });
  });
}

describe("crash safety", function () {
  this.timeout(600_000);

  it(`keeps every acknowledged entry across ${ROUNDS} SIGKILLs at random moments`, async () => {
    const dir = tempDir();
    const tenant = "crash";
    const acked = new Map<number, string>();
    const signed: string[] = [];
    let seed = 12345;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

    try {
      for (let round = 0; round < ROUNDS; round++) {
        const run = await runAndKill(dir.dir, tenant, 50 + Math.floor(random() * 700));
        for (const [i, h] of run.acked) acked.set(i, h);
        signed.push(...run.checkpoints);

        const ledger = await openTestLedger(dir.dir);
        try {
          const cp = ledger.checkpoint(tenant);
          const key = parseVerifierKey(ledger.verifierKey(tenant));
          for (const [i, h] of acked) {
            assert.ok(
              i < cp.size,
              `round ${round}: acknowledged index ${i} beyond size ${cp.size}`,
            );
          }
          // Every acknowledged entry: read its leaf data back in tlog-tiles entry bundles.
          const leafHashes = await allLeafHashes(ledger, tenant, cp.size);
          for (const [i, h] of acked)
            assert.equal(leafHashes[i], h, `round ${round}: leaf ${i} changed`);
          for (const [i] of sampleOf(acked, 50)) {
            const p = await ledger.inclusionProof(tenant, i);
            verifyInclusion(i, cp.size, fromHex(p.leafHash), p.proof.map(fromHex), cp.rootHash);
          }
          for (const note of signed.slice(-100)) {
            const old = verifyCheckpoint(note, [key]);
            const proof = await ledger.consistencyProof(tenant, Math.max(old.size, 1), cp.size);
            if (old.size > 0)
              verifyConsistency(old.size, cp.size, proof.map(fromHex), old.rootHash, cp.rootHash);
          }
        } finally {
          await ledger.close();
        }
      }
      console.log(`        ${acked.size} acknowledged entries checked after ${ROUNDS} kills`);
      assert.ok(acked.size > ROUNDS, `only ${acked.size} entries were acknowledged in all`);
    } finally {
      dir.cleanup();
    }
  });
});

async function allLeafHashes(ledger: Ledger, tenant: string, size: number): Promise<string[]> {
  const out: string[] = [];
  for (let n = 0; n * 256 < size; n++) {
    const bundle = (await ledger.entryBundle(tenant, n, Math.min(256, size - n * 256)))!;
    for (let o = 0; o < bundle.length;) {
      const len = (bundle[o] << 8) | bundle[o + 1];
      out.push(toHex(leafHash(bundle.subarray(o + 2, o + 2 + len))));
      o += 2 + len;
    }
  }
  return out;
}

function sampleOf<K, V>(m: Map<K, V>, n: number): [K, V][] {
  const all = [...m];
  if (all.length <= n) return all;
  const step = all.length / n;
  return Array.from({ length: n }, (_, i) => all[Math.floor(i * step)]).concat([
    all[all.length - 1],
  ]);
}
