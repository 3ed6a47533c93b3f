import { expect } from "chai";

import type { EpochLeafRecord, EpochRecord } from "../../ledger/anchor/anchor-records";
import { AnchorStore } from "../../ledger/anchor/anchor-store";
import { anchorStoreSource } from "../../ledger/compliance/anchor-store-source";
import { openLevelStore, type LevelStore } from "../../ledger/store/level-store";
import { tempDir } from "../helpers/temp-ledger";

const REGISTRY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const hex = (byte: string) => `0x${byte.repeat(32)}`;

/** One tenant's leaf of an epoch: size and roots are all the source reads back. */
function leaf(tenant: string, treeSize: number, policy = "aa"): EpochLeafRecord {
  return {
    tenant,
    origin: `log.example/${tenant}`,
    treeSize,
    rootHash: hex("11"),
    policyRoot: hex(policy),
    assignmentRoot: hex("bb"),
  };
}

describe("anchorStoreSource", () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: LevelStore;
  let records: AnchorStore;

  beforeEach(async () => {
    tmp = tempDir("anchorlog-anchor-source-");
    store = await openLevelStore(tmp.dir);
    records = await AnchorStore.open(store);
    await records.useDeployment({ chainId: 31337, registry: REGISTRY, block: 0 }, false);
  });

  afterEach(async () => {
    await store.close();
    tmp.cleanup();
  });

  /** Records an epoch as the worker does: sent with its leaves, then (maybe) confirmed. */
  async function epoch(n: number, leaves: EpochLeafRecord[], confirm: boolean) {
    const sent = await records.addSent(
      {
        generation: records.deployment!.generation,
        chainId: 31337,
        registry: REGISTRY,
        epoch: n,
        root: hex(`0${n}`),
        leafCount: leaves.length,
        status: "sent",
        txHash: hex(`e${n}`),
        txHashes: [hex(`e${n}`)],
        firstSentAtMs: 1,
        lastSentAtMs: 1,
      },
      leaves,
      leaves.map((l) => ({ ...l, epoch: n, proof: [hex(`f${n}`)] })),
    );
    if (!confirm) return sent;
    const confirmed: EpochRecord = {
      ...sent,
      status: "confirmed",
      blockNumber: 10 + n,
      blockHash: hex(`c${n}`),
    };
    return records.update(confirmed);
  }

  it("lists the confirmed anchored checkpoints covering a size, smallest first", async () => {
    await epoch(1, [leaf("acme", 4), leaf("beta", 2)], true);
    await epoch(2, [leaf("acme", 9, "a2")], true);
    await epoch(3, [leaf("acme", 12)], false);
    const source = anchorStoreSource(store, records);

    const covering = await source.anchoredCheckpoints("acme", 4);

    expect(covering.map((c) => [c.treeSize, c.anchor.epoch])).to.deep.equal([
      [4, 1],
      [9, 2],
    ]);
    expect(covering[1].anchor).to.deep.equal({
      chainId: 31337,
      registry: REGISTRY,
      epoch: 2,
      epochRoot: hex("02"),
      proof: [hex("f2")],
      txHash: hex("e2"),
      blockNumber: 12,
      blockHash: hex("c2"),
      policyRoot: hex("a2"),
      assignmentRoot: hex("bb"),
    });
    expect(await source.anchoredCheckpoints("acme", 10)).to.deep.equal([]);
  });

  it("finds a tenant's checkpoint in a confirmed epoch, and nothing in one still pending", async () => {
    await epoch(1, [leaf("acme", 4), leaf("beta", 2)], true);
    await epoch(2, [leaf("acme", 9)], false);
    const source = anchorStoreSource(store, records);

    expect((await source.anchoredCheckpointAt("beta", 1))?.treeSize).to.equal(2);
    expect(await source.anchoredCheckpointAt("acme", 2)).to.equal(undefined);
    expect(await source.anchoredCheckpointAt("gamma", 1)).to.equal(undefined);
  });
});
