import assert from "node:assert/strict";

import { Ledger, isLedgerError, QueueFullError } from "../../ledger";
import {
  fromBase64,
  fromHex,
  leafHash,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyReceipt,
  decodeLeaf,
  eventHash,
  toHex,
} from "../../ledger/verify";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { naiveRoot } from "../helpers/naive-tree";

describe("Ledger", () => {
  let dir: ReturnType<typeof tempDir>;
  let ledger: Ledger;

  beforeEach(async () => {
    dir = tempDir();
    ledger = await openTestLedger(dir.dir);
    await ledger.createTenant("acme");
    await ledger.createTenant("globex");
  });

  afterEach(async () => {
    await ledger.close();
    dir.cleanup();
  });

  describe("append", () => {
    it("acknowledges concurrent appends with consecutive indices and a checkpoint covering them", async () => {
      const results = await Promise.all(
        Array.from({ length: 300 }, (_, i) => ledger.append("acme", sampleEvent(i))),
      );

      const indices = results.map((r) => r.index).sort((a, b) => a - b);
      assert.deepEqual(
        indices,
        Array.from({ length: 300 }, (_, i) => i),
      );
      const cp = ledger.checkpoint("acme");
      assert.equal(cp.size, 300);
      for (const r of results) assert.ok(r.treeSize > r.index && r.treeSize <= 300);
    });

    it("writes the whole tree so that the root equals the naive RFC 6962 root", async () => {
      const results = await ledger.appendBatch(
        "acme",
        Array.from({ length: 600 }, (_, i) => sampleEvent(i)),
      );

      const leaves = results.map((r) => fromHex(r.leafHash));
      assert.equal(toHex(ledger.checkpoint("acme").rootHash), toHex(naiveRoot(leaves)));
    });

    it("stores leaf data whose hash is the acknowledged leaf hash and whose event hash opens with the salt", async () => {
      const ev = sampleEvent(1);
      const r = await ledger.append("acme", ev);

      const entry = await ledger.entry("acme", r.index);
      assert.equal(toHex(leafHash(entry.leafData)), r.leafHash);
      const rec = await ledger.privateRecord("acme", r.index);
      const fields = decodeLeaf(entry.leafData);
      assert.equal(toHex(fields.eventHash), toHex(eventHash(rec.salt, ev)));
      assert.deepEqual(entry.event, ev);
    });

    it("keeps tenants apart: indices, checkpoints and origins are per tenant", async () => {
      await ledger.append("acme", sampleEvent(1));
      await ledger.append("acme", sampleEvent(2));
      const g = await ledger.append("globex", sampleEvent(3));

      assert.equal(g.index, 0);
      assert.equal(ledger.checkpoint("globex").size, 1);
      assert.notEqual(ledger.checkpoint("acme").origin, ledger.checkpoint("globex").origin);
      const acmeKey = parseVerifierKey(ledger.verifierKey("acme"));
      assert.throws(
        () => verifyCheckpoint(ledger.checkpoint("globex").note, [acmeKey]),
        (err) => isLedgerError(err, "LEDGER_NO_VALID_SIGNATURE"),
      );
    });

    it("appends a batch all or nothing: one bad event rejects the batch and writes nothing", async () => {
      const events = [sampleEvent(1), { ...sampleEvent(2), actor: "" }, sampleEvent(3)];

      await assert.rejects(ledger.appendBatch("acme", events), (err) =>
        isLedgerError(err, "LEDGER_BAD_EVENT"),
      );
      assert.equal(ledger.checkpoint("acme").size, 0);
    });

    it("fails fast with a retryable error when the queue is full", async () => {
      await ledger.close();
      ledger = await openTestLedger(dir.dir, { maxQueuedEntries: 10 });

      const attempts = Array.from({ length: 40 }, (_, i) =>
        ledger.append("acme", sampleEvent(i)).then(
          () => "ok",
          (err) => (err instanceof QueueFullError ? "full" : "other"),
        ),
      );
      const outcomes = await Promise.all(attempts);
      assert.ok(outcomes.includes("full"), "some appends were turned away");
      assert.ok(!outcomes.includes("other"));
      assert.equal(ledger.checkpoint("acme").size, outcomes.filter((o) => o === "ok").length);
    });
  });

  describe("idempotency", () => {
    it("returns the first result for a retry with the same key and event", async () => {
      const first = await ledger.append("acme", sampleEvent(1), { idempotencyKey: "k-1" });
      const again = await ledger.append("acme", sampleEvent(1), { idempotencyKey: "k-1" });

      assert.deepEqual(again, first);
      assert.equal(ledger.checkpoint("acme").size, 1);
    });

    it("creates one entry when retries race each other", async () => {
      const all = await Promise.all(
        Array.from({ length: 25 }, () =>
          ledger.append("acme", sampleEvent(1), { idempotencyKey: "race" }),
        ),
      );

      assert.equal(new Set(all.map((r) => r.index)).size, 1);
      assert.equal(ledger.checkpoint("acme").size, 1);
    });

    it("creates one entry per key when retries keep arriving while the first commits", async () => {
      const attempts: Promise<unknown>[] = [];
      for (let k = 0; k < 50; k++) {
        for (let r = 0; r < 10; r++) {
          // Staggered: some retries start before the first is durable, some after.
          attempts.push(
            new Promise((resolve) => setImmediate(resolve)).then(() =>
              ledger.append("acme", sampleEvent(k), { idempotencyKey: `stagger-${k}` }),
            ),
          );
          if (r % 3 === 0) await new Promise((resolve) => setImmediate(resolve));
        }
      }
      await Promise.all(attempts);

      assert.equal(ledger.checkpoint("acme").size, 50);
    });

    it("rejects the same key with another event", async () => {
      await ledger.append("acme", sampleEvent(1), { idempotencyKey: "k-2" });

      await assert.rejects(
        ledger.append("acme", sampleEvent(2), { idempotencyKey: "k-2" }),
        (err) => isLedgerError(err, "LEDGER_IDEMPOTENCY_MISMATCH"),
      );
    });

    it("survives a reopen", async () => {
      const first = await ledger.appendBatch("acme", [sampleEvent(1), sampleEvent(2)], {
        idempotencyKey: "b",
      });
      await ledger.close();
      ledger = await openTestLedger(dir.dir);

      const again = await ledger.appendBatch("acme", [sampleEvent(1), sampleEvent(2)], {
        idempotencyKey: "b",
      });
      assert.deepEqual(again, first);
    });

    it("scopes keys to a tenant", async () => {
      const a = await ledger.append("acme", sampleEvent(1), { idempotencyKey: "same" });
      const g = await ledger.append("globex", sampleEvent(9), { idempotencyKey: "same" });

      assert.equal(a.index, 0);
      assert.equal(g.index, 0);
    });
  });

  describe("proofs", () => {
    beforeEach(async () => {
      await ledger.appendBatch(
        "acme",
        Array.from({ length: 700 }, (_, i) => sampleEvent(i)),
      );
    });

    it("serves inclusion proofs that verify against the signed checkpoint", async () => {
      const cp = ledger.checkpoint("acme");
      for (const index of [0, 1, 255, 256, 511, 699]) {
        const p = await ledger.inclusionProof("acme", index);
        verifyInclusion(index, cp.size, fromHex(p.leafHash), p.proof.map(fromHex), cp.rootHash);
      }
    });

    it("finds an inclusion proof by leaf hash", async () => {
      const e = await ledger.entry("acme", 300);
      const p = await ledger.inclusionProofByLeafHash("acme", e.leafHash);
      assert.equal(p.index, 300);
      await assert.rejects(ledger.inclusionProofByLeafHash("acme", "00".repeat(32)), (err) =>
        isLedgerError(err, "LEDGER_LEAF_NOT_FOUND"),
      );
    });

    it("serves consistency proofs between any two signed sizes", async () => {
      await ledger.appendBatch("acme", [sampleEvent(1000)]);
      const cp = ledger.checkpoint("acme");

      for (const size1 of [1, 2, 255, 256, 257, 700]) {
        const proof = await ledger.consistencyProof("acme", size1, cp.size);
        verifyConsistency(
          size1,
          cp.size,
          proof.map(fromHex),
          await rootAt(ledger, size1),
          cp.rootHash,
        );
      }
    });

    it("rejects out-of-range indices and sizes with typed errors", async () => {
      await assert.rejects(ledger.inclusionProof("acme", 700), (e) =>
        isLedgerError(e, "LEDGER_INDEX_OUT_OF_RANGE"),
      );
      await assert.rejects(ledger.inclusionProof("acme", -1), (e) =>
        isLedgerError(e, "LEDGER_INDEX_OUT_OF_RANGE"),
      );
      await assert.rejects(ledger.inclusionProof("acme", 1, 701), (e) =>
        isLedgerError(e, "LEDGER_SIZE_OUT_OF_RANGE"),
      );
      await assert.rejects(ledger.consistencyProof("acme", 0, 5), (e) =>
        isLedgerError(e, "LEDGER_SIZE_OUT_OF_RANGE"),
      );
      await assert.rejects(ledger.consistencyProof("acme", 6, 5), (e) =>
        isLedgerError(e, "LEDGER_SIZE_OUT_OF_RANGE"),
      );
      await assert.rejects(ledger.consistencyProof("acme", 1, 2 ** 60), (e) =>
        isLedgerError(e, "LEDGER_SIZE_OUT_OF_RANGE"),
      );
      await assert.rejects(ledger.entry("acme", 10_000), (e) =>
        isLedgerError(e, "LEDGER_INDEX_OUT_OF_RANGE"),
      );
    });

    it("builds receipts that verify step by step, and fail at the tampered step", async () => {
      const receipt = await ledger.receipt("acme", 42);
      const key = ledger.verifierKey("acme");

      assert.equal(verifyReceipt(receipt, [key]).ok, true);
      const badLeaf = { ...receipt, leafData: flipBase64(receipt.leafData) };
      assert.equal(verifyReceipt(badLeaf, [key]).steps.at(-1)?.step, "inclusion");
      const badProof = {
        ...receipt,
        inclusionProof: [flipBase64(receipt.inclusionProof[0]), ...receipt.inclusionProof.slice(1)],
      };
      assert.equal(verifyReceipt(badProof, [key]).steps.at(-1)?.step, "inclusion");
      const badNote = { ...receipt, checkpoint: receipt.checkpoint.replace("\n700\n", "\n699\n") };
      assert.equal(verifyReceipt(badNote, [key]).steps.at(-1)?.step, "checkpoint");
      const otherKey = ledger.verifierKey("globex");
      assert.equal(verifyReceipt(receipt, [otherKey]).steps.at(-1)?.step, "checkpoint");
      assert.equal(verifyReceipt({ ...receipt, format: "v0" }, [key]).steps.at(-1)?.step, "format");
    });
  });

  describe("tiles", () => {
    it("serves full and partial hash tiles and entry bundles in tlog-tiles layout", async () => {
      const results = await ledger.appendBatch(
        "acme",
        Array.from({ length: 300 }, (_, i) => sampleEvent(i)),
      );

      const full = await ledger.tile("acme", 0, 0);
      assert.equal(full?.length, 256 * 32);
      assert.equal(toHex(full!.subarray(32 * 5, 32 * 6)), results[5].leafHash);
      const partial = await ledger.tile("acme", 0, 1, 44);
      assert.equal(partial?.length, 44 * 32);
      assert.equal(await ledger.tile("acme", 0, 1), undefined, "no full tile 1 yet");
      assert.equal(await ledger.tile("acme", 0, 1, 45), undefined, "wider than the tree");
      const level1 = await ledger.tile("acme", 1, 0, 1);
      assert.equal(
        toHex(level1!),
        toHex(naiveRoot(results.slice(0, 256).map((r) => fromHex(r.leafHash)))),
      );
      const bundle = await ledger.entryBundle("acme", 1, 44);
      assert.equal(bundle?.length, 44 * (2 + 81));
    });
  });

  describe("erasure", () => {
    it("erases an event while every proof and checkpoint stays valid", async () => {
      await ledger.appendBatch(
        "acme",
        Array.from({ length: 10 }, (_, i) => sampleEvent(i)),
      );
      const before = await ledger.receipt("acme", 4);

      await ledger.erase("acme", 4);

      const entry = await ledger.entry("acme", 4);
      assert.equal(entry.event, undefined);
      assert.ok(entry.erasedAtMs! > 0);
      await assert.rejects(ledger.privateRecord("acme", 4), (e) =>
        isLedgerError(e, "LEDGER_EVENT_ERASED"),
      );
      assert.equal(
        verifyReceipt(await ledger.receipt("acme", 4), [ledger.verifierKey("acme")]).ok,
        true,
      );
      assert.equal(verifyReceipt(before, [ledger.verifierKey("acme")]).ok, true);
      assert.deepEqual((await ledger.entry("acme", 5)).event, sampleEvent(5));

      await ledger.close();
      ledger = await openTestLedger(dir.dir);
      assert.equal((await ledger.entry("acme", 4)).event, undefined);
      assert.equal(ledger.checkpoint("acme").size, 10);
    });
  });

  describe("bad input", () => {
    const bad: [string, unknown, string][] = [
      ["a non-object", "hello", "LEDGER_BAD_EVENT"],
      ["a missing actor", { ...sampleEvent(1), actor: undefined }, "LEDGER_BAD_EVENT"],
      ["a numeric action", { ...sampleEvent(1), action: 5 }, "LEDGER_BAD_EVENT"],
      ["a bad timestamp", { ...sampleEvent(1), timestamp: "yesterday" }, "LEDGER_BAD_EVENT"],
      ["an unknown field", { ...sampleEvent(1), index: 4 }, "LEDGER_BAD_EVENT"],
      ["a lone surrogate", { ...sampleEvent(1), resource: "\ud800" }, "LEDGER_BAD_EVENT"],
      [
        "an oversized payload",
        { ...sampleEvent(1), payload: "x".repeat(70_000) },
        "LEDGER_EVENT_TOO_LARGE",
      ],
      ["an array of attributes", { ...sampleEvent(1), attributes: [1] }, "LEDGER_BAD_EVENT"],
    ];
    for (const [what, input, code] of bad) {
      it(`rejects ${what} with ${code} and writes nothing`, async () => {
        await assert.rejects(ledger.append("acme", input), (e) => isLedgerError(e, code as never));
        assert.equal(ledger.checkpoint("acme").size, 0);
      });
    }

    it("rejects unknown tenants, bad tenant ids, duplicates and empty batches", async () => {
      await assert.rejects(ledger.append("nobody", sampleEvent(1)), (e) =>
        isLedgerError(e, "LEDGER_UNKNOWN_TENANT"),
      );
      await assert.rejects(ledger.createTenant("Bad Id"), (e) =>
        isLedgerError(e, "LEDGER_BAD_TENANT_ID"),
      );
      await assert.rejects(ledger.createTenant("acme"), (e) =>
        isLedgerError(e, "LEDGER_TENANT_EXISTS"),
      );
      await assert.rejects(ledger.appendBatch("acme", []), (e) =>
        isLedgerError(e, "LEDGER_BATCH_TOO_LARGE"),
      );
      assert.throws(
        () => ledger.checkpoint("nobody"),
        (e) => isLedgerError(e, "LEDGER_UNKNOWN_TENANT"),
      );
    });

    it("rejects appends to a disabled tenant", async () => {
      await ledger.setTenantDisabled("acme", true);
      await assert.rejects(ledger.append("acme", sampleEvent(1)), (e) =>
        isLedgerError(e, "LEDGER_TENANT_DISABLED"),
      );
      await ledger.setTenantDisabled("acme", false);
      await ledger.append("acme", sampleEvent(1));
    });
  });

  describe("checkLog", () => {
    beforeEach(async () => {
      for (let i = 0; i < 6; i++) {
        await ledger.appendBatch(
          "acme",
          Array.from({ length: 97 }, (_, j) => sampleEvent(i * 100 + j)),
        );
      }
    });

    it("finds nothing wrong with a sound log and checks every checkpoint", async () => {
      const report = await ledger.checkLog("acme");

      assert.deepEqual(report.problems, []);
      assert.equal(report.leavesChecked, 582);
      assert.equal(report.checkpointsChecked, 6);
    });

    it("finds an old full tile corrupted in place, which opening does not read", async () => {
      await ledger.close();
      await tamper(dir.dir, "t/acme/tile/0/0000000000000000", 100);
      ledger = await openTestLedger(dir.dir);

      const report = await ledger.checkLog("acme");
      assert.deepEqual(
        report.problems.map((p) => p.what),
        ["tile"],
      );
    });

    it("finds an old leaf changed in place", async () => {
      await ledger.close();
      await tamper(dir.dir, "t/acme/leaf/0000000000000005", 30);
      ledger = await openTestLedger(dir.dir);

      const report = await ledger.checkLog("acme");
      assert.ok(report.problems.some((p) => p.what === "tile"));
      assert.ok(report.problems.some((p) => p.what === "checkpoint"));
    });
  });

  describe("open", () => {
    it("reopens a log to the same checkpoint and keeps appending consistently", async () => {
      await ledger.appendBatch(
        "acme",
        Array.from({ length: 300 }, (_, i) => sampleEvent(i)),
      );
      const before = ledger.checkpoint("acme");
      await ledger.close();

      ledger = await openTestLedger(dir.dir);
      assert.equal(ledger.checkpoint("acme").note, before.note);
      await ledger.appendBatch("acme", [sampleEvent(1)]);
      const proof = await ledger.consistencyProof("acme", 300, 301);
      verifyConsistency(
        300,
        301,
        proof.map(fromHex),
        before.rootHash,
        ledger.checkpoint("acme").rootHash,
      );
    });

    it("refuses a store whose tiles were tampered with", async () => {
      await ledger.appendBatch(
        "acme",
        Array.from({ length: 300 }, (_, i) => sampleEvent(i)),
      );
      await ledger.close();
      const { Level } = await import("level");
      const db = new Level<string, Uint8Array>(`${dir.dir}/db`, { valueEncoding: "view" });
      const key = "t/acme/tile/0/0000000000000001";
      const tile = (await db.get(key))!;
      tile[0] ^= 1;
      await db.put(key, tile);
      await db.close();

      await assert.rejects(openTestLedger(dir.dir), (e) =>
        isLedgerError(e, "LEDGER_STORE_DAMAGED"),
      );
    });

    it("refuses a store with a leaf changed in the rightmost tile", async () => {
      await ledger.appendBatch(
        "acme",
        Array.from({ length: 20 }, (_, i) => sampleEvent(i)),
      );
      await ledger.close();
      const { Level } = await import("level");
      const db = new Level<string, Uint8Array>(`${dir.dir}/db`, { valueEncoding: "view" });
      const key = "t/acme/leaf/0000000000000003";
      const leaf = (await db.get(key))!;
      leaf[20] ^= 1;
      await db.put(key, leaf);
      await db.close();

      await assert.rejects(openTestLedger(dir.dir), (e) =>
        isLedgerError(e, "LEDGER_STORE_DAMAGED"),
      );
    });

    it("refuses to open with another master key", async () => {
      await ledger.close();
      await assert.rejects(
        openTestLedger(dir.dir, { masterKey: new Uint8Array(32).fill(1) }),
        (e) => isLedgerError(e, "LEDGER_BAD_KEY"),
      );
      ledger = await openTestLedger(dir.dir);
    });

    it("refuses a store whose checkpoint was signed by another key", async () => {
      await ledger.append("acme", sampleEvent(1));
      await ledger.close();
      await assert.rejects(
        openTestLedger(dir.dir, { signingSeed: new Uint8Array(32).fill(3) }),
        (e) => isLedgerError(e, "LEDGER_STORE_DAMAGED"),
      );
      ledger = await openTestLedger(dir.dir);
    });
  });
});

/** Flips one bit of the stored value at `key`, with the ledger closed. */
async function tamper(dir: string, key: string, byte: number): Promise<void> {
  const { Level } = await import("level");
  const db = new Level<string, Uint8Array>(`${dir}/db`, { valueEncoding: "view" });
  const value = (await db.get(key))!;
  value[byte] ^= 1;
  await db.put(key, value);
  await db.close();
}

async function rootAt(ledger: Ledger, size: number): Promise<Uint8Array> {
  const note = await ledger.checkpointAt("acme", size);
  if (note !== undefined)
    return verifyCheckpoint(note, [parseVerifierKey(ledger.verifierKey("acme"))]).rootHash;
  // Sizes inside one batch have no checkpoint of their own: derive the root from leaves.
  const leaves = [];
  for (let i = 0; i < size; i++) leaves.push(fromHex((await ledger.entry("acme", i)).leafHash));
  return naiveRoot(leaves);
}

function flipBase64(b64: string): string {
  const bytes = fromBase64(b64);
  bytes[bytes.length - 1] ^= 1;
  return Buffer.from(bytes).toString("base64");
}
