/**
 * Append throughput with operation commitments on and off, measured in one run on one
 * ledger: concurrent clients each append single events (as API requests do) to their mode's
 * tenant. Modes: commitments off (the baseline), Poseidon on the event loop, and a worker
 * pool of one and of two threads. The event loop's delay is sampled meanwhile: it shows what
 * inline hashing does to everything else the process serves.
 */
import { monitorEventLoopDelay, performance } from "node:perf_hooks";

import type { Ledger } from "../../ledger";
import { CommitmentPool } from "../../ledger/compliance/commitment-pool";
import { ComplianceLedger } from "../../ledger/compliance/compliance-ledger";
import type { ComplianceStore } from "../../ledger/compliance/compliance-store";
import {
  InlineCommitter,
  type OperationCommitter,
} from "../../ledger/compliance/operation-committer";

/** One mode's figures. */
export interface AppendMode {
  readonly mode: string;
  readonly appendsPerSecond: number;
  /** 99th percentile of the event loop's delay while appending, ms. */
  readonly loopDelayP99Ms: number;
}

/** Options: how many events per mode, from how many concurrent clients. */
export interface AppendBenchOptions {
  readonly events: number;
  readonly concurrency: number;
  /** A policy document every committing tenant gets. */
  readonly policy: unknown;
}

/**
 * Runs every mode in turn, the baseline first and again last (its two runs show drift), and
 * returns them in that order.
 */
export async function measureAppendThroughput(
  ledger: Ledger,
  compliance: ComplianceStore,
  options: AppendBenchOptions,
): Promise<AppendMode[]> {
  const inline = new InlineCommitter();
  const pool1 = await CommitmentPool.start({ threads: 1 });
  const pool2 = await CommitmentPool.start({ threads: 2 });
  const modes: [string, OperationCommitter, boolean][] = [
    ["off", inline, false],
    ["on, inline", inline, true],
    ["on, pool of 1 thread", pool1, true],
    ["on, pool of 2 threads", pool2, true],
    ["off (again)", inline, false],
  ];

  const out: AppendMode[] = [];
  try {
    for (const [i, [mode, committer, committing]] of modes.entries()) {
      const tenant = `append-${i}`;
      await ledger.createTenant(tenant);
      if (committing) await compliance.setPolicy(tenant, options.policy);
      const appender = new ComplianceLedger({ ledger, compliance, committer });
      out.push({ mode, ...(await run(appender, tenant, options)) });
    }
  } finally {
    await pool1.close();
    await pool2.close();
  }
  return out;
}

async function run(appender: ComplianceLedger, tenant: string, options: AppendBenchOptions) {
  const timestamp = new Date(Date.now() - 1_000).toISOString();
  const event = (i: number) => ({
    actor: "carol",
    role: "clerk",
    action: "write",
    resource: `invoice/${i}`,
    resourceClass: "invoice",
    timestamp,
  });
  for (let i = 0; i < 50; i++) await appender.append(tenant, event(i));

  const delay = monitorEventLoopDelay({ resolution: 5 });
  let next = 0;
  const client = async () => {
    while (next < options.events) await appender.append(tenant, event(next++));
  };
  delay.enable();
  const start = performance.now();
  await Promise.all(Array.from({ length: options.concurrency }, client));
  const seconds = (performance.now() - start) / 1000;
  delay.disable();

  return {
    appendsPerSecond: options.events / seconds,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
  };
}
