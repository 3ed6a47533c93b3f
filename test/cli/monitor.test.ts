/**
 * `anchorlog monitor` as the real binary against real services: it follows a growing log
 * (through the API and through tlog-tiles), and catches a fork, a rollback, a bad signature
 * and an inconsistent history served by an operator holding the same signing key.
 */
import { expect } from "chai";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Ledger } from "../../ledger";
import { openTestLedger, sampleEvent, tempDir, TEST_SIGNING_SEED } from "../helpers/temp-ledger";
import { appendEvents, runCli, serve, type Served } from "./cli-harness";

describe("anchorlog monitor", function () {
  this.timeout(180_000);

  const cleanups: (() => void)[] = [];
  const ledgers: Ledger[] = [];
  const services: Served[] = [];
  let work: string;
  let key: string;
  // The honest log, a fork of it (same seed, other events), a shorter one, and one signed
  // with another key under the same origin.
  let honest: Served;
  let fork: Served;
  let shorter: Served;
  let impostor: Served;
  let keys: Map<Served, string>;

  const open = async (seed?: Uint8Array) => {
    const d = tempDir("anchorlog-cli-monitor-");
    cleanups.push(d.cleanup);
    const ledger = await openTestLedger(d.dir, seed ? { signingSeed: seed } : {});
    ledgers.push(ledger);
    await ledger.createTenant("acme");
    const served = await serve(ledger);
    services.push(served);
    return { ledger, served };
  };

  const monitor = (target: Served, state: string, extra: string[] = []) =>
    runCli(["--json", "monitor", "--url", target.url, "--key", key, "--state", state, ...extra], {
      env: { ANCHORLOG_API_KEY: keys.get(target)! },
    });

  let honestLedger: Ledger;
  let forkLedger: Ledger;

  before(async () => {
    const d = tempDir("anchorlog-cli-monitor-work-");
    cleanups.push(d.cleanup);
    work = d.dir;
    ({ ledger: honestLedger, served: honest } = await open());
    ({ ledger: forkLedger, served: fork } = await open(TEST_SIGNING_SEED));
    const short = await open(TEST_SIGNING_SEED);
    shorter = short.served;
    impostor = (await open(new Uint8Array(32).fill(5))).served;
    await appendEvents(honestLedger, "acme", 5);
    await forkLedger.appendBatch(
      "acme",
      [0, 1, 2, 3, 4].map((i) => sampleEvent(500 + i)),
    );
    await appendEvents(short.ledger, "acme", 3);
    await appendEvents(ledgers[3], "acme", 400);
    key = honestLedger.verifierKey("acme");
    keys = new Map();
    for (const s of services) keys.set(s, await s.tenantKey("acme", ["read"]));
  });

  after(async () => {
    for (const s of services) await s.close();
    for (const l of ledgers) await l.close();
    for (const c of cleanups) c();
  });

  it("remembers the first checkpoint, then proves each later one extends it", async () => {
    const state = join(work, "grow.json");

    const first = await monitor(honest, state);
    await appendEvents(honestLedger, "acme", 300, 5);
    const tiles = await runCli(
      ["--json", "monitor", "--tiles", `${honest.url}/v1/log`, "--key", key, "--state", state],
      { env: { ANCHORLOG_API_KEY: keys.get(honest)! } },
    );
    await appendEvents(honestLedger, "acme", 4, 305);
    const api = await monitor(honest, state);

    expect(first.status, first.stderr).to.equal(0);
    expect(first.json().steps[1].detail).to.match(/first run/);
    expect(tiles.status, tiles.stderr).to.equal(0);
    expect(tiles.json().steps[1].detail).to.match(/size 305 extends size 5/);
    expect(api.status, api.stderr).to.equal(0);
    expect(api.json().steps[1].detail).to.match(/size 309 extends size 305/);
    expect(JSON.parse(readFileSync(state, "utf8")).size).to.equal(309);
  });

  it("reports a fork: another root signed for the size it saw, with both notes", async () => {
    const state = join(work, "fork.json");
    const seen = await monitor(fork, state);
    // The honest log has grown past 5; the state holds the fork's checkpoint of size 5.
    const honestAt5 = (await honestLedger.checkpointAt("acme", 5))!;
    writeFileSync(
      state,
      JSON.stringify({ ...JSON.parse(readFileSync(state, "utf8")), checkpoint: honestAt5 }),
    );

    const run = await monitor(fork, state);

    expect(seen.status, seen.stderr).to.equal(0);
    expect(run.status).to.equal(1);
    expect(run.json().problem.kind).to.equal("fork");
    expect(run.json().evidence.previous).to.equal(honestAt5);
    expect(run.json().evidence.latest).to.equal(forkLedger.checkpoint("acme").note);
  });

  it("reports a rollback and keeps the state where it was", async () => {
    const state = join(work, "rollback.json");
    await monitor(honest, state);
    const before = readFileSync(state, "utf8");

    const run = await monitor(shorter, state);

    expect(run.status).to.equal(1);
    expect(run.json().problem.kind).to.equal("rollback");
    expect(run.json().problem.detail).to.match(/tree size 3 is smaller than size 309/);
    expect(readFileSync(state, "utf8")).to.equal(before);
  });

  it("reports a checkpoint not signed by the trusted key", async () => {
    const state = join(work, "impostor.json");

    const run = await monitor(impostor, state);

    expect(run.status).to.equal(1);
    expect(run.json().problem.kind).to.equal("bad-signature");
  });

  it("reports a larger log that does not extend the one seen as an inconsistent proof", async () => {
    const state = join(work, "inconsistent.json");
    await monitor(honest, state);
    await forkLedger.appendBatch(
      "acme",
      Array.from({ length: 320 }, (_, i) => sampleEvent(600 + i)),
    );

    const run = await monitor(fork, state);

    expect(run.status).to.equal(1);
    expect(run.json().problem.kind).to.equal("inconsistent-proof");
    expect(run.json().steps[1].code).to.equal("LEDGER_ROOT_MISMATCH");
  });

  it("refuses a state file of another format and a source it cannot reach (exit 2)", async () => {
    const bad = join(work, "bad-state.json");
    writeFileSync(bad, JSON.stringify({ format: "something-else/v9" }));

    const [format, unreachable] = await Promise.all([
      monitor(honest, bad),
      runCli(["monitor", "--url", "http://127.0.0.1:9", "--key", key, "--state", join(work, "n")]),
    ]);

    expect(format.status).to.equal(2);
    expect(format.stderr).to.match(/format "something-else\/v9", not anchorlog-monitor-state\/v1/);
    expect(unreachable.status).to.equal(2);
    expect(unreachable.stderr).to.match(/cannot reach http:\/\/127\.0\.0\.1:9/);
  });
});
