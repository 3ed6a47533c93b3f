import { expect } from "chai";

import type { Ledger } from "../../ledger";
import { readEpochRootFromChain, type ChainEpochRootReader } from "../../ledger/anchor";
import { AnchorWorker } from "../../ledger/anchor/anchor-worker";
import type { LocalNode } from "../../ledger/anchor/local-node";
import { verifyAnchoredReceipt } from "../../ledger/verify/anchor-check";
import { sampleEvent } from "../helpers/temp-ledger";
import {
  ANCHORER_KEY,
  appendMany,
  deployOn,
  EventRecorder,
  ledgerWith,
  startChain,
} from "./worker-harness";

const TENANTS = ["acme", "beta", "gamma"];
const RPC_TIMEOUT_MS = 2_000;
const BACKOFF = { initialMs: 100, maxMs: 400 };

// The node is frozen with SIGSTOP: it keeps its state, its socket accepts connections, and
// requests hang until SIGCONT, as with a node that stalls or a network that drops replies.
describe("AnchorWorker when the chain stops answering", function () {
  this.timeout(120_000);

  let node: LocalNode;
  let frozen = false;
  let ledger: Ledger;
  let cleanup: () => Promise<void>;
  let worker: AnchorWorker;
  let reader: ChainEpochRootReader;
  const events = new EventRecorder();

  before(async () => {
    node = await startChain({ miningIntervalMs: 200 });
    const deployment = await deployOn(node.rpcUrl);
    ({ ledger, cleanup } = await ledgerWith(TENANTS));
    reader = readEpochRootFromChain(node.rpcUrl);
    worker = await AnchorWorker.open({
      ledger,
      rpcUrl: node.rpcUrl,
      privateKey: ANCHORER_KEY,
      registry: { chainId: deployment.chainId, address: deployment.address },
      confirmations: 2,
      epochMs: 300,
      pollMs: 50,
      rpcTimeoutMs: RPC_TIMEOUT_MS,
      backoff: BACKOFF,
      onEvent: events.listener,
    });
    worker.start();
  });

  after(async () => {
    if (frozen) process.kill(node.pid, "SIGCONT");
    await worker.close();
    reader.destroy();
    await cleanup();
    await node.stop();
  });

  function freeze(): void {
    process.kill(node.pid, "SIGSTOP");
    frozen = true;
  }

  function thaw(): void {
    process.kill(node.pid, "SIGCONT");
    frozen = false;
  }

  /** True when a confirmed epoch covers the latest checkpoint of every tenant. */
  async function latestAnchored(sizes: Map<string, number>): Promise<boolean> {
    for (const [tenant, size] of sizes) {
      const receipt = await worker.anchoredReceipt(tenant, size - 1);
      if (receipt.status !== "anchored" || receipt.treeSize !== size) return false;
    }
    return true;
  }

  async function verify(tenant: string, index: number) {
    const receipt = await worker.anchoredReceipt(tenant, index);
    const verdict = await verifyAnchoredReceipt(receipt, {
      trustedKeys: [ledger.verifierKey(tenant)],
      readEpochRoot: reader,
    });
    return { receipt, verdict };
  }

  it("keeps appending while frozen and anchors the latest checkpoints after it thaws", async () => {
    const anchored = events.next("epoch-confirmed");
    for (const tenant of TENANTS) await appendMany(ledger, tenant, 2);
    await anchored;

    // Appends while the worker's first request to the frozen node hangs: every one is
    // acknowledged (durable, with its checkpoint) before the worker even learns of the outage.
    freeze();
    const outage = events.next("chain-unreachable");
    const appendedWhileHanging: Array<[string, number]> = [];
    for (let i = 0; i < 12; i++) {
      const tenant = TENANTS[i % TENANTS.length];
      appendedWhileHanging.push([tenant, (await ledger.append(tenant, sampleEvent(i))).index]);
    }
    expect(events.all("chain-unreachable")).to.have.length(0);

    const noticed = await outage;
    expect(noticed.error.code).to.equal("ANCHOR_CHAIN_UNREACHABLE");
    expect(worker.status().chainReachable).to.equal(false);

    // Retries back off: 100, 200, 400, then capped at 400 ms.
    const retries = events.all("retrying").length;
    while (events.all("retrying").length < retries + 4) await events.next("retrying");
    const delays = events.all("retrying").map((e) => e.retryInMs);
    expect(delays.slice(0, 4)).to.deep.equal([100, 200, 400, 400]);

    // More appends while the worker knows the chain is away.
    for (const tenant of TENANTS) await appendMany(ledger, tenant, 3);
    const latest = new Map(TENANTS.map((t) => [t, ledger.checkpoint(t).size]));
    const confirmedBefore = events.all("epoch-confirmed").length;

    const back = events.next("chain-reachable");
    thaw();
    await back;
    for (;;) {
      const next = events.next("epoch-confirmed");
      if (await latestAnchored(latest)) break;
      await next;
    }

    // The first epoch built after recovery covers the latest checkpoints; one more may have
    // been in flight when the node froze.
    expect(events.all("epoch-confirmed").length - confirmedBefore).to.be.at.most(2);
    for (const [tenant, index] of appendedWhileHanging) {
      const { receipt, verdict } = await verify(tenant, index);
      expect(receipt.status).to.equal("anchored");
      expect(verdict.ok, JSON.stringify(verdict.steps.at(-1))).to.equal(true);
    }
    expect(worker.status()).to.include({ chainReachable: true, inFlightEpoch: undefined });
  });
});
