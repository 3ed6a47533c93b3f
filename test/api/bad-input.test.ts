/**
 * At least 10,000 generated malformed or hostile requests: none gets a 5xx, every refusal
 * is problem JSON without internals, the service keeps answering, and afterwards the log
 * still verifies: its checkpoint signature, and consistency with the checkpoint from before.
 */
import assert from "node:assert/strict";

import fc from "fast-check";

import {
  fromBase64,
  fromHex,
  parseVerifierKey,
  verifyCheckpoint,
  verifyConsistency,
} from "../../ledger/verify";
import { sampleEvent } from "../helpers/temp-ledger";
import { call, createTenant, Harness, issueKey, problemOf, startHarness } from "./harness";
import { HostileLimits, hostileRequest } from "./hostile-requests";

const LIMITS: HostileLimits = { bodyLimitBytes: 128 * 1024, maxBatchEvents: 50 };
const CHUNK = 25;
const RUNS = 400;

describe("API under malformed and hostile input", function () {
  this.timeout(120_000);

  let h: Harness;
  let tenantKey: string;

  before(async () => {
    h = await startHarness({ config: LIMITS });
    await createTenant(h, "acme");
    tenantKey = (await issueKey(h, "acme", ["admin"])).key;
    const res = await call(h.app, {
      method: "POST",
      url: "/v1/entries/batch",
      key: tenantKey,
      payload: { events: Array.from({ length: 5 }, (_, i) => sampleEvent(i)) },
    });
    assert.equal(res.statusCode, 201);
  });

  after(() => h.close());

  it(`answers ${CHUNK * RUNS} generated requests without a 5xx, always with problem JSON`, async () => {
    const before = h.ledger.checkpoint("acme");
    const statuses = new Map<number, number>();
    let sent = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.array(hostileRequest(LIMITS), { minLength: CHUNK, maxLength: CHUNK }),
        async (reqs) => {
          const responses = await Promise.all(
            reqs.map((r) =>
              call(h.app, {
                method: r.method,
                url: r.url,
                headers: r.headers,
                payload: r.payload,
                key: r.key === "tenant" ? tenantKey : r.key === "operator" ? h.adminKey : undefined,
              }),
            ),
          );
          sent += reqs.length;

          responses.forEach((res, i) => {
            const what = `${reqs[i].method} ${reqs[i].url.slice(0, 120)}`;
            statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
            assert.ok(res.statusCode < 500, `${what}: ${res.statusCode} ${res.body.slice(0, 300)}`);
            if (res.statusCode < 400 || reqs[i].method === "HEAD") return;
            const problem = problemOf(res);
            assert.ok(
              problem,
              `${what}: ${res.statusCode} is not problem JSON: ${res.body.slice(0, 200)}`,
            );
            assert.equal(problem.status, res.statusCode);
            assert.match(String(problem.code), /^API_[A-Z_]+$/);
            for (const field of ["type", "title", "detail", "instance", "requestId"]) {
              assert.equal(typeof problem[field], "string", `${what}: problem.${field}`);
            }
            assert.doesNotMatch(res.body, /\n\s+at |"stack"/, `${what} leaks a stack trace`);
          });
        },
      ),
      { numRuns: RUNS, seed: 20261203, endOnFailure: true },
    );

    assert.ok(sent >= 10_000, `sent ${sent} requests`);
    // The generators reach past validation: refusals of many kinds, and some bodies pass.
    for (const status of [400, 401, 404, 413, 415, 422]) {
      assert.ok((statuses.get(status) ?? 0) > 0, `some requests got ${status}: ${[...statuses]}`);
    }

    const health = await call(h.app, { method: "GET", url: "/healthz" });
    assert.equal(health.statusCode, 200);
    const ok = await call(h.app, {
      method: "POST",
      url: "/v1/entries",
      key: tenantKey,
      payload: sampleEvent(99),
    });
    assert.equal(ok.statusCode, 201);

    const cpRes = await call(h.app, { method: "GET", url: "/v1/checkpoint", key: tenantKey });
    const cp = cpRes.json();
    const verifier = parseVerifierKey(h.ledger.verifierKey("acme"));
    const verified = verifyCheckpoint(cp.note, [verifier], "test.anchorlog.dev/log/acme");
    assert.equal(verified.size, cp.treeSize);
    assert.ok(cp.treeSize > before.size);
    const proofRes = await call(h.app, {
      method: "GET",
      url: `/v1/proofs/consistency?size1=${before.size}&size2=${cp.treeSize}`,
      key: tenantKey,
    });
    assert.equal(proofRes.statusCode, 200);
    verifyConsistency(
      before.size,
      cp.treeSize,
      proofRes.json().proof.map(fromHex),
      before.rootHash,
      fromBase64(cp.rootHash),
    );
  });
});
