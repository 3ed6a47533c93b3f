/**
 * Compliance-proof benchmark: circuit size, witness and proving time per operation,
 * verification time, and JavaScript Poseidon throughput against SHA-256 measured in the same
 * run; then the ledger integration: append throughput with operation commitments off, inline
 * and on worker threads (same run, same ledger), the WindowProver's time per window and
 * operation, and the gas of attesting a window on chain against the Groth16 verifier alone.
 * Prints a table, then one JSON object with every figure as the last line.
 *
 * Compiles the dev and production circuits (about a minute on two cores) into circuits/build.
 * Proving uses the shipped INSECURE dev setup; the production parameters have no shipped
 * setup, so their proving time is not measured here (their witness time is). The chain is
 * Hardhat's in-process network (hardfork osaka); compile the contracts first.
 *
 *   npm run bench:zk
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";

import { sha256 as nobleSha256 } from "@noble/hashes/sha2";

import { compileCircuit, REPO_ROOT } from "../circuits/scripts/compile-circuit";
import { Ledger } from "../ledger";
import { ComplianceStore } from "../ledger/compliance/compliance-store";
import {
  DEV_PARAMS,
  PRODUCTION_PARAMS,
  TAG_OPERATION,
  buildAssignmentTree,
  buildPolicyTree,
  buildWindowWitness,
  loadPoseidon,
  operationCommitment,
  parseAssignments,
  parsePolicy,
  randomSalt,
  releaseProverThreads,
  snarkjs,
  type CircuitParams,
  type Operation,
  type PoseidonHash,
  type WindowOperation,
} from "../ledger/zk";
import { devSetupFiles, loadDevVerificationKey } from "../ledger/zk/dev-artifacts";
import { measureAppendThroughput, type AppendMode } from "./lib/zk-append-throughput";
import { measureAttestation, type AttestFigures } from "./lib/zk-attest-gas";

const T0 = 1_700_000_000;
const PROVE_RUNS = 5;
const VERIFY_RUNS = 20;
const HASH_SECONDS = 1;
const APPEND_EVENTS = 3_000;
const APPEND_CLIENTS = 64;
/** Log sizes whose windows are attested: inclusion proofs of 4 and 10 hashes per leaf. */
const ATTEST_SIZES = [16, 1_024];

interface Row {
  what: string;
  value: string;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs `fn` repeatedly for about `seconds` and returns calls per second. */
function throughput(seconds: number, fn: (i: number) => void): number {
  for (let i = 0; i < 200; i++) fn(i);
  let calls = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) fn(calls + i);
    calls += 100;
  }
  return calls / ((performance.now() - start) / 1000);
}

/** A tenant with one grant and one assignment per operation, at the given depths. */
function windowFor(hash: PoseidonHash, params: CircuitParams) {
  const policy = parsePolicy({
    version: 1,
    roles: ["clerk"],
    grants: [
      { role: "clerk", action: "write", resourceClass: "invoice", validFrom: T0, validUntil: null },
    ],
  });
  const actors = Array.from({ length: params.operations }, (_, i) => `actor-${i}`);
  const assignments = parseAssignments(
    {
      version: 1,
      assignments: actors.map((actor) => ({ actor, role: "clerk", from: T0, until: null })),
    },
    policy,
  );
  const operations: WindowOperation[] = actors.map((actor, i) => {
    const operation: Operation = {
      actor,
      role: "clerk",
      action: "write",
      resourceClass: "invoice",
      time: T0 + 60 * i,
      salt: randomSalt(),
    };
    return { operation };
  });
  return buildWindowWitness(
    hash,
    params,
    buildPolicyTree(hash, policy, params.policyDepth),
    buildAssignmentTree(hash, assignments, params.assignmentDepth),
    0,
    operations,
  );
}

/** Median time of snarkjs wtns calculate, which compiles the wasm on every call. */
async function witnessMs(wasmFile: string, input: unknown, runs: number): Promise<number> {
  const wasm = readFileSync(wasmFile);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await snarkjs.wtns.calculate(input, wasm, { type: "mem" });
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0];
  const rows: Row[] = [];
  const add = (what: string, value: string) => rows.push({ what, value });
  const hash = await loadPoseidon();

  const dev = await compileCircuit(DEV_PARAMS, "circuits/build/bench-dev");
  const production = await compileCircuit(PRODUCTION_PARAMS, "circuits/build/bench-production");
  const devPerOp = dev.constraints / DEV_PARAMS.operations;
  const productionPerOp = production.constraints / PRODUCTION_PARAMS.operations;
  add(`constraints, dev (N=${DEV_PARAMS.operations}, depths 4/8)`, `${dev.constraints}`);
  add("constraints per operation, dev", devPerOp.toFixed(1));
  add(
    `constraints, production (N=${PRODUCTION_PARAMS.operations}, depths 8/16)`,
    `${production.constraints}`,
  );
  add("constraints per operation, production", productionPerOp.toFixed(1));

  const devWitness = windowFor(hash, DEV_PARAMS);
  const productionWitness = windowFor(hash, PRODUCTION_PARAMS);
  const files = devSetupFiles();
  const devWitnessMs = await witnessMs(files.wasm, devWitness.input, PROVE_RUNS);
  const productionWitnessMs = await witnessMs(
    `${REPO_ROOT}/${production.wasm}`,
    productionWitness.input,
    PROVE_RUNS,
  );
  add("witness per window incl. wasm compile, dev (ms)", devWitnessMs.toFixed(0));
  add("witness per operation, dev (ms)", (devWitnessMs / DEV_PARAMS.operations).toFixed(1));
  add("witness per window incl. wasm compile, production (ms)", productionWitnessMs.toFixed(0));
  add(
    "witness per operation, production (ms)",
    (productionWitnessMs / PRODUCTION_PARAMS.operations).toFixed(1),
  );

  const wtns: { type: "mem"; data?: Uint8Array } = { type: "mem" };
  await snarkjs.wtns.calculate(devWitness.input, files.wasm, wtns);
  const proveTimes: number[] = [];
  let last: Awaited<ReturnType<typeof snarkjs.groth16.prove>> | undefined;
  for (let i = 0; i < PROVE_RUNS + 1; i++) {
    const start = performance.now();
    last = await snarkjs.groth16.prove(files.zkey, wtns);
    if (i > 0) proveTimes.push(performance.now() - start);
  }
  const proveMs = median(proveTimes);
  add("Groth16 prove per window, dev (ms)", proveMs.toFixed(0));
  add("Groth16 prove per operation, dev (ms)", (proveMs / DEV_PARAMS.operations).toFixed(0));

  const vkey = loadDevVerificationKey();
  const verifyTimes: number[] = [];
  for (let i = 0; i < VERIFY_RUNS + 1; i++) {
    const start = performance.now();
    const ok = await snarkjs.groth16.verify(vkey, last!.publicSignals, last!.proof);
    if (!ok) throw new Error("benchmark proof did not verify");
    if (i > 0) verifyTimes.push(performance.now() - start);
  }
  const verifyMs = median(verifyTimes);
  add("Groth16 verify, dev (ms)", verifyMs.toFixed(1));

  const inputs = Array.from({ length: 7 }, (_, i) => (i === 0 ? TAG_OPERATION : BigInt(i) << 200n));
  const poseidon7 = throughput(HASH_SECONDS, (i) =>
    hash([inputs[0], BigInt(i), ...inputs.slice(2)]),
  );
  const op: Operation = {
    actor: "alice",
    role: "clerk",
    action: "write",
    resourceClass: "invoice",
    time: T0,
    salt: 1n,
  };
  const commitments = throughput(HASH_SECONDS, (i) =>
    operationCommitment(hash, { ...op, salt: BigInt(i) }),
  );
  const block = new Uint8Array(7 * 32);
  const shaNode = throughput(HASH_SECONDS, (i) => {
    block[0] = i & 0xff;
    createHash("sha256").update(block).digest();
  });
  const shaNoble = throughput(HASH_SECONDS, (i) => {
    block[0] = i & 0xff;
    nobleSha256(block);
  });
  add("Poseidon(7) in JS (hashes/s)", poseidon7.toFixed(0));
  add("operationCommitment incl. name encoding (/s)", commitments.toFixed(0));
  add("SHA-256 of 224 bytes, node:crypto (/s), baseline", shaNode.toFixed(0));
  add("SHA-256 of 224 bytes, @noble/hashes (/s)", shaNoble.toFixed(0));
  add("Poseidon(7) / node SHA-256", (poseidon7 / shaNode).toFixed(4));

  await releaseProverThreads();

  const { appends, attests } = await measureIntegration();
  await releaseProverThreads();
  const off = (appends[0].appendsPerSecond + appends[4].appendsPerSecond) / 2;
  for (const m of appends) {
    add(`appends/s, commitments ${m.mode}`, m.appendsPerSecond.toFixed(0));
    add(`  event loop delay p99 (ms), ${m.mode}`, m.loopDelayP99Ms.toFixed(1));
  }
  for (const a of attests) {
    add(`WindowProver per window, log of ${a.treeSize} (ms)`, a.proveWindowMs.toFixed(0));
    add(`verifyComplianceBundle, log of ${a.treeSize} (ms)`, a.verifyBundleMs.toFixed(0));
    add(`attest gas, log of ${a.treeSize}, fresh slot`, String(a.attestGasFirst));
    add(`attest gas, log of ${a.treeSize}, same slot`, String(a.attestGasSecond));
    add(`attest calldata, log of ${a.treeSize} (bytes)`, String(a.calldataBytes));
    add(`Groth16 verifyProof alone, baseline (gas)`, String(a.groth16Gas));
  }
  const loadAfter = loadavg()[0];
  add(
    "1-minute load average before / after (2 cores)",
    `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`,
  );

  const width = Math.max(...rows.map((r) => r.what.length));
  process.stdout.write(`${"measure".padEnd(width)}  value\n${"-".repeat(width)}  -----\n`);
  for (const row of rows) {
    process.stdout.write(`${row.what.padEnd(width)}  ${row.value}\n`);
  }
  const figures = {
    devConstraints: dev.constraints,
    devConstraintsPerOperation: devPerOp,
    productionConstraints: production.constraints,
    productionConstraintsPerOperation: productionPerOp,
    constraintBudgetPerOperation: 6000,
    productionWithinBudget: productionPerOp <= 6000,
    devWitnessMsPerWindow: devWitnessMs,
    devWitnessMsPerOperation: devWitnessMs / DEV_PARAMS.operations,
    productionWitnessMsPerWindow: productionWitnessMs,
    productionWitnessMsPerOperation: productionWitnessMs / PRODUCTION_PARAMS.operations,
    devProveMsPerWindow: proveMs,
    devProveMsPerOperation: proveMs / DEV_PARAMS.operations,
    productionProveMs: null,
    devVerifyMs: verifyMs,
    poseidon7PerSecond: poseidon7,
    operationCommitmentsPerSecond: commitments,
    sha256NodePerSecondBaseline: shaNode,
    sha256NoblePerSecond: shaNoble,
    poseidonToShaRatio: poseidon7 / shaNode,
    commitmentToShaRatio: commitments / shaNode,
    appendsPerSecondOffBaseline: off,
    appendModes: appends.map((m) => ({
      ...m,
      ratioToOff: m.appendsPerSecond / off,
    })),
    proverPerWindowMs: attests.map((a) => a.proveWindowMs),
    proverPerOperationMs: attests.map((a) => a.proveWindowMs / DEV_PARAMS.operations),
    attestations: attests.map((a) => ({
      ...a,
      attestToGroth16Ratio: a.attestGasFirst / a.groth16Gas,
      attestGasGoal: 260_000,
      withinGoal: a.attestGasFirst <= 260_000,
    })),
    loadAverageBefore: loadBefore,
    loadAverageAfter: loadAfter,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

/** The ledger integration's figures, on a fresh ledger in a temporary folder. */
async function measureIntegration(): Promise<{ appends: AppendMode[]; attests: AttestFigures[] }> {
  const dir = mkdtempSync(join(tmpdir(), "anchorlog-bench-zk-"));
  const ledger = await Ledger.open({
    path: join(dir, "db"),
    masterKey: randomBytes(32),
    signingSeed: randomBytes(32),
    originPrefix: "bench.anchorlog.dev/log",
  });
  try {
    const compliance = await ComplianceStore.open(ledger.store, { params: DEV_PARAMS });
    const now = Math.floor(Date.now() / 1000);
    const policy = {
      version: 1,
      roles: ["clerk"],
      grants: [
        {
          role: "clerk",
          action: "write",
          resourceClass: "invoice",
          validFrom: 0,
          validUntil: null,
        },
      ],
    };
    const assignments = {
      version: 1,
      assignments: [{ actor: "carol", role: "clerk", from: 0, until: null }],
    };
    const event = (i: number) => ({
      actor: "carol",
      role: "clerk",
      action: "write",
      resource: `invoice/${i}`,
      resourceClass: "invoice",
      timestamp: new Date((now - 5) * 1000).toISOString(),
    });

    const appends = await measureAppendThroughput(ledger, compliance, {
      events: APPEND_EVENTS,
      concurrency: APPEND_CLIENTS,
      policy,
    });
    const attests = await measureAttestation(
      ledger,
      compliance,
      { policy, assignments, event },
      ATTEST_SIZES,
    );
    return { appends, attests };
  } finally {
    await ledger.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
