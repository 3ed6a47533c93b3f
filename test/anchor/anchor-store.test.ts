import { join } from "node:path";

import { expect } from "chai";
import { keccak256, toUtf8Bytes } from "ethers";

import { openLevelStore, type KvStore } from "../../ledger";
import type { EpochLeafRecord, EpochRecord } from "../../ledger/anchor/anchor-records";
import { AnchorStore } from "../../ledger/anchor/anchor-store";
import { utf8 } from "../../ledger/verify/bytes";
import { tempDir } from "../helpers/temp-ledger";
import { expectAnchorRejection } from "./expect-anchor-error";

const ZERO = "0x" + "00".repeat(32);
const REGISTRY_A = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const REGISTRY_B = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";

function hash(label: string): string {
  return keccak256(toUtf8Bytes(label));
}

function leaf(tenant: string, treeSize: number): EpochLeafRecord {
  return {
    tenant,
    origin: `log.anchorlog.example/${tenant}`,
    treeSize,
    rootHash: hash(`${tenant} at ${treeSize}`),
    policyRoot: ZERO,
    assignmentRoot: ZERO,
  };
}

// Records only, over a real LevelDB: no chain is involved.
describe("AnchorStore", () => {
  let store: KvStore;
  let dir: string;
  let removeDir: () => void;

  beforeEach(async () => {
    ({ dir, cleanup: removeDir } = tempDir("anchorlog-anchor-store-"));
    store = await openLevelStore(join(dir, "db"));
  });

  afterEach(async () => {
    await store.close();
    removeDir();
  });

  async function opened(): Promise<AnchorStore> {
    const records = await AnchorStore.open(store);
    await records.useDeployment({ chainId: 31337, registry: REGISTRY_A, block: 1 }, false);
    return records;
  }

  /** Sends an epoch of acme at `size` (indexed) and beta at 1 (not indexed). */
  function send(records: AnchorStore, epoch: number, size: number): Promise<EpochRecord> {
    const deployment = records.deployment!;
    return records.addSent(
      {
        generation: deployment.generation,
        chainId: deployment.chainId,
        registry: deployment.registry,
        epoch,
        root: hash(`epoch ${epoch}`),
        leafCount: 2,
        status: "sent",
        txHash: hash(`tx ${epoch}`),
        txHashes: [hash(`tx ${epoch}`)],
        firstSentAtMs: 1,
        lastSentAtMs: 1,
      },
      [leaf("acme", size), leaf("beta", 1)],
      [
        {
          tenant: "acme",
          treeSize: size,
          epoch,
          proof: [hash("sibling")],
          policyRoot: ZERO,
          assignmentRoot: ZERO,
        },
      ],
    );
  }

  function confirm(records: AnchorStore, record: EpochRecord): Promise<EpochRecord> {
    return records.update({ ...record, status: "confirmed", blockNumber: 7, blockHash: hash("b") });
  }

  describe("covering", () => {
    it("finds the smallest confirmed size above the index", async () => {
      const records = await opened();
      await confirm(records, await send(records, 1, 3));
      await confirm(records, await send(records, 2, 5));

      const sizes = [];
      for (const index of [0, 2, 3, 4]) {
        sizes.push((await records.covering("acme", index))?.anchor.treeSize);
      }

      expect(sizes).to.deep.equal([3, 3, 5, 5]);
      expect(await records.covering("acme", 5)).to.equal(undefined);
    });

    it("skips an epoch that is not confirmed yet", async () => {
      const records = await opened();
      await confirm(records, await send(records, 1, 3));
      await send(records, 2, 5);

      expect(await records.covering("acme", 3)).to.equal(undefined);
      expect((await records.covering("acme", 0))?.record.epoch).to.equal(1);
    });

    it("reads only the tenant asked for", async () => {
      const records = await opened();
      await confirm(records, await send(records, 1, 3));

      // beta is a leaf of the epoch but was not indexed; acmex shares acme's prefix.
      expect(await records.covering("beta", 0)).to.equal(undefined);
      expect(await records.covering("acmex", 0)).to.equal(undefined);
    });
  });

  describe("retire", () => {
    it("removes the epoch's tenant entries, so no receipt points at it", async () => {
      const records = await opened();
      const record = await confirm(records, await send(records, 1, 3));

      const lost = await records.retire(record, "lost", "ANCHOR_EPOCH_TAKEN");

      expect(lost).to.include({ status: "lost", reason: "ANCHOR_EPOCH_TAKEN" });
      expect(await records.covering("acme", 0)).to.equal(undefined);
      expect(records.active()).to.deep.equal([]);
      expect(await records.leaves(record.seq)).to.deep.equal([leaf("acme", 3), leaf("beta", 1)]);
    });
  });

  describe("useDeployment", () => {
    it("keeps the generation for the same registry", async () => {
      const records = await opened();

      const again = await records.useDeployment(
        { chainId: 31337, registry: REGISTRY_A.toLowerCase(), block: 0 },
        false,
      );

      expect(again).to.deep.equal({ deployment: records.deployment, orphaned: 0 });
      expect(records.deployment?.generation).to.equal(1);
    });

    it("starts a generation for another registry and keeps the old anchors valid", async () => {
      const records = await opened();
      await confirm(records, await send(records, 1, 3));

      const { deployment } = await records.useDeployment(
        { chainId: 31337, registry: REGISTRY_B, block: 0 },
        false,
      );

      expect(deployment.generation).to.equal(2);
      expect(records.active()).to.deep.equal([]);
      expect((await records.covering("acme", 0))?.record.registry).to.equal(REGISTRY_A);
    });

    it("orphans every live record of older generations when asked", async () => {
      const records = await opened();
      await confirm(records, await send(records, 1, 3));
      await send(records, 2, 5);

      const { orphaned } = await records.useDeployment(
        { chainId: 31337, registry: REGISTRY_A, block: 0 },
        true,
      );

      expect(orphaned).to.equal(2);
      expect((await records.record(1))?.status).to.equal("orphaned");
      expect((await records.record(2))?.status).to.equal("orphaned");
      expect(await records.covering("acme", 0)).to.equal(undefined);
    });
  });

  describe("open", () => {
    it("reads back the deployment and the live records", async () => {
      const first = await opened();
      const confirmed = await confirm(first, await send(first, 1, 3));
      const sent = await send(first, 2, 5);

      const reopened = await AnchorStore.open(store);

      expect(reopened.deployment).to.deep.equal(first.deployment);
      expect(reopened.active()).to.deep.equal([confirmed, sent]);
      expect(reopened.latest()).to.deep.equal(sent);
    });

    it("reports a record that cannot be parsed", async () => {
      await store.batch([{ type: "put", key: "anchor/state", value: utf8("{not json") }], {
        sync: true,
      });

      const error = await expectAnchorRejection(
        () => AnchorStore.open(store),
        "ANCHOR_RECORDS_DAMAGED",
      );

      expect(error.data.key).to.equal("anchor/state");
    });
  });
});
