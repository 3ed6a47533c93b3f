/**
 * Proof, checkpoint, receipt and tlog-tiles routes through inject. Every proof is checked
 * with the pure verify functions against roots recomputed by the independent naive tree, so
 * an expected value never comes from the code under test.
 */
import assert from "node:assert/strict";

import {
  fromBase64,
  fromHex,
  leafHash,
  parseVerifierKey,
  toHex,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
  verifyReceipt,
} from "../../ledger/verify";
import { sampleEvent, TEST_ORIGIN_PREFIX } from "../helpers/temp-ledger";
import { naiveRoot } from "../helpers/naive-tree";
import { call, createTenant, Harness, issueKey, problemOf, startHarness } from "./harness";

const ORIGIN = `${TEST_ORIGIN_PREFIX}/acme`;
const SIZE = 300;

describe("API proofs, checkpoints and tiles", () => {
  let h: Harness;
  let key: string;
  let leafHashes: Uint8Array[];
  let firstSize: number;

  before(async () => {
    h = await startHarness();
    await createTenant(h, "acme");
    key = (await issueKey(h, "acme", ["append", "prove"])).key;
    const first = await call(h.app, {
      method: "POST",
      url: "/v1/entries/batch",
      key,
      payload: { events: Array.from({ length: 100 }, (_, i) => sampleEvent(i)) },
    });
    const rest = await call(h.app, {
      method: "POST",
      url: "/v1/entries/batch",
      key,
      payload: { events: Array.from({ length: SIZE - 100 }, (_, i) => sampleEvent(100 + i)) },
    });
    const entries = [...first.json().entries, ...rest.json().entries];
    leafHashes = entries.map((e: { leafHash: string }) => fromHex(e.leafHash));
    firstSize = first.json().entries[0].treeSize;
  });

  after(() => h.close());

  const get = (url: string, k = key) => call(h.app, { method: "GET", url, key: k });
  const trusted = () => parseVerifierKey(h.ledger.verifierKey("acme"));

  describe("GET /v1/checkpoint and /v1/log/checkpoint", () => {
    it("serves the latest checkpoint as JSON whose note verifies and whose root is the naive root", async () => {
      const res = await get("/v1/checkpoint");

      assert.equal(res.statusCode, 200);
      const cp = res.json();
      assert.equal(cp.treeSize, SIZE);
      assert.equal(cp.origin, ORIGIN);
      assert.equal(toHex(fromBase64(cp.rootHash)), toHex(naiveRoot(leafHashes)));
      const verified = verifyCheckpoint(cp.note, [trusted()], ORIGIN);
      assert.equal(toHex(verified.rootHash), toHex(naiveRoot(leafHashes)));
      assert.ok(cp.signedAtMs > 0);
      assert.equal(cp.verifierKey, h.ledger.verifierKey("acme"));
    });

    it("serves the same note as text/plain for tlog-tiles clients, not cached", async () => {
      const json = (await get("/v1/checkpoint")).json();

      const res = await get("/v1/log/checkpoint");

      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "text/plain; charset=utf-8");
      assert.equal(res.headers["cache-control"], "no-cache");
      assert.equal(res.body, json.note);
    });
  });

  describe("GET /v1/proofs/inclusion", () => {
    it("proves inclusion by index, verified against the naive root", async () => {
      for (const index of [0, 1, 255, 256, 299]) {
        const res = await get(`/v1/proofs/inclusion?index=${index}`);

        assert.equal(res.statusCode, 200, String(index));
        const p = res.json();
        assert.equal(p.leafHash, toHex(leafHashes[index]));
        verifyInclusion(
          index,
          SIZE,
          leafHashes[index],
          p.proof.map(fromHex),
          naiveRoot(leafHashes),
        );
      }
    });

    it("proves inclusion by leaf hash (either case) in an older tree size", async () => {
      const hex = toHex(leafHashes[42]).toUpperCase();

      const res = await get(`/v1/proofs/inclusion?leafHash=${hex}&treeSize=${firstSize}`);

      assert.equal(res.statusCode, 200);
      const p = res.json();
      assert.equal(p.index, 42);
      assert.equal(p.treeSize, firstSize);
      verifyInclusion(
        42,
        firstSize,
        leafHashes[42],
        p.proof.map(fromHex),
        naiveRoot(leafHashes.slice(0, firstSize)),
      );
    });

    it("answers 404 for an unknown leaf hash, an index or tree size beyond the log", async () => {
      const cases: [string, string][] = [
        [`leafHash=${"00".repeat(32)}`, "API_LEAF_NOT_FOUND"],
        [`index=${SIZE}`, "API_ENTRY_NOT_FOUND"],
        [`index=1&treeSize=${SIZE + 1}`, "API_TREE_SIZE_NOT_FOUND"],
        [`leafHash=${toHex(leafHashes[200])}&treeSize=100`, "API_LEAF_NOT_FOUND"],
      ];
      for (const [query, code] of cases) {
        const res = await get(`/v1/proofs/inclusion?${query}`);

        assert.equal(res.statusCode, 404, query);
        assert.equal(problemOf(res)?.code, code, query);
      }
    });

    it("answers 400 unless exactly one of index and leafHash is given", async () => {
      for (const query of ["", `index=1&leafHash=${toHex(leafHashes[1])}`, "treeSize=5"]) {
        const res = await get(`/v1/proofs/inclusion?${query}`);

        assert.equal(res.statusCode, 400, query);
      }
    });
  });

  describe("GET /v1/proofs/consistency", () => {
    it("proves consistency between any two sizes, verified against naive roots", async () => {
      for (const [size1, size2] of [
        [1, SIZE],
        [firstSize, SIZE],
        [7, 256],
        [256, 257],
        [SIZE, SIZE],
      ]) {
        const res = await get(`/v1/proofs/consistency?size1=${size1}&size2=${size2}`);

        assert.equal(res.statusCode, 200, `${size1}..${size2}`);
        verifyConsistency(
          size1,
          size2,
          res.json().proof.map(fromHex),
          naiveRoot(leafHashes.slice(0, size1)),
          naiveRoot(leafHashes.slice(0, size2)),
        );
      }
    });

    it("defaults size2 to the latest checkpoint", async () => {
      const res = await get("/v1/proofs/consistency?size1=10");

      assert.equal(res.json().size2, SIZE);
    });

    it("answers 400 for a reversed range and 404 for a size beyond the log", async () => {
      const reversed = await get("/v1/proofs/consistency?size1=5&size2=4");
      const beyond = await get(`/v1/proofs/consistency?size1=5&size2=${SIZE + 1}`);
      const beyondDefault = await get(`/v1/proofs/consistency?size1=${SIZE + 1}`);
      const zero = await get("/v1/proofs/consistency?size1=0");

      assert.equal(problemOf(reversed)?.code, "API_BAD_RANGE");
      assert.equal(problemOf(beyond)?.code, "API_TREE_SIZE_NOT_FOUND");
      assert.equal(problemOf(beyondDefault)?.code, "API_TREE_SIZE_NOT_FOUND");
      assert.equal(zero.statusCode, 400);
    });
  });

  describe("GET /v1/entries/:index/receipt", () => {
    it("serves the ledger's receipt unchanged, and it verifies against the pinned key", async () => {
      const res = await get("/v1/entries/123/receipt");

      assert.equal(res.statusCode, 200);
      assert.deepEqual(res.json(), await h.ledger.receipt("acme", 123));
      const verdict = verifyReceipt(res.json(), [h.ledger.verifierKey("acme")]);
      assert.equal(verdict.ok, true, JSON.stringify(verdict.steps));
      assert.equal(verdict.leafHash, toHex(leafHashes[123]));
    });

    it("answers 404 beyond the log", async () => {
      const res = await get(`/v1/entries/${SIZE}/receipt`);

      assert.equal(res.statusCode, 404);
    });
  });

  describe("tlog-tiles: GET /v1/log/tile/...", () => {
    it("serves full level-0 tiles as the 256 leaf hashes, immutable and private", async () => {
      const res = await get("/v1/log/tile/0/000");

      assert.equal(res.statusCode, 200);
      assert.equal(res.headers["content-type"], "application/octet-stream");
      assert.match(String(res.headers["cache-control"]), /^private, .*immutable/);
      assert.equal(toHex(res.rawPayload), leafHashes.slice(0, 256).map(toHex).join(""));
    });

    it("serves the partial tile at the log's edge and the level-1 tile holding the first subtree root", async () => {
      const partial = await get("/v1/log/tile/0/001.p/44");
      const level1 = await get("/v1/log/tile/1/000.p/1");

      assert.equal(toHex(partial.rawPayload), leafHashes.slice(256, 300).map(toHex).join(""));
      assert.equal(toHex(level1.rawPayload), toHex(naiveRoot(leafHashes.slice(0, 256))));
    });

    it("serves entry bundles whose entries hash to the level-0 tile", async () => {
      const res = await get("/v1/log/tile/entries/001.p/44");

      assert.equal(res.statusCode, 200);
      const bytes = res.rawPayload;
      const hashes: string[] = [];
      for (let at = 0; at < bytes.length;) {
        const length = (bytes[at] << 8) | bytes[at + 1];
        hashes.push(toHex(leafHash(bytes.subarray(at + 2, at + 2 + length))));
        at += 2 + length;
      }
      assert.deepEqual(hashes, leafHashes.slice(256, 300).map(toHex));
    });

    it("answers 404 for tiles the tree does not have yet", async () => {
      for (const path of [
        "tile/0/001",
        "tile/0/001.p/45",
        "tile/1/000",
        "tile/2/000.p/1",
        "tile/entries/002",
      ]) {
        const res = await get(`/v1/log/${path}`);

        assert.equal(res.statusCode, 404, path);
        assert.equal(problemOf(res)?.code, "API_TILE_NOT_FOUND", path);
      }
    });

    it("answers 400 for paths that are not canonical tlog-tiles paths", async () => {
      const bad = [
        "tile/64/000",
        "tile/00/000",
        "tile/0/0",
        "tile/0/x000/001",
        "tile/0/000.p/0",
        "tile/0/000.p/256",
        "tile/0/000.p/007",
        "tile/0/x001",
        "tile/entries/1",
        "tile/0/x009/x007/x199/x254/x740/x992/000",
      ];
      for (const path of bad) {
        const res = await get(`/v1/log/${path}`);

        assert.equal(res.statusCode, 400, path);
        assert.equal(problemOf(res)?.code, "API_BAD_TILE_PATH", path);
      }
    });
  });
});
