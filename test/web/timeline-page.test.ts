/**
 * The verifier page's tenant timeline in headless Chromium, against the real service: tiles
 * and the latest checkpoint come through the API's tlog-tiles routes with a tenant read key.
 * A fork is made the way a dishonest operator would: two ledgers with the same signing key
 * and origin, holding different entries, so both sign checkpoints of the same sizes.
 */
import { expect } from "chai";

import type { Ledger } from "../../ledger";
import { fromHex, parseCheckpoint, parseNote, toHex, verifyConsistency } from "../../ledger/verify";
import { createTenant, issueKey, startHarness, type Harness } from "../api/harness";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { openPage, screenshot, type WatchedPage } from "./browser";
import { builtPage } from "./page-build";
import { servePage, type PageServer } from "./page-server";
import { sharedBrowser } from "./shared";
import { runTimeline, type ShownRelation } from "./timeline-driver";

const TENANT = "acme";

/** Size and hex root of a signed checkpoint note. */
function body(note: string): { size: number; root: string } {
  const cp = parseCheckpoint(parseNote(note).text);
  return { size: cp.size, root: toHex(cp.rootHash) };
}

async function appendEvents(ledger: Ledger, from: number, count: number, tag: string) {
  const events = Array.from({ length: count }, (_, i) => sampleEvent(from + i, { resource: tag }));
  await ledger.appendBatch(TENANT, events);
  return ledger.checkpoint(TENANT).note;
}

describe("verifier page: tenant timeline", function () {
  this.timeout(120_000);

  let service: Harness;
  let forkDir: ReturnType<typeof tempDir>;
  let fork: Ledger;
  let server: PageServer;
  let tab: WatchedPage;
  let readKey: string;
  let verifierKey: string;
  const notes: Record<"a100" | "a300" | "b100" | "b150", string> = {
    a100: "",
    a300: "",
    b100: "",
    b150: "",
  };

  /**
   * What the verify module says of a pair, with the consistency proof the served log's own
   * store builds (the page builds the same proof from its tiles over HTTP).
   */
  async function expectedKind(older: string, newer: string): Promise<string> {
    const a = body(older);
    const b = body(newer);
    if (a.size === b.size) return a.root === b.root ? "consistent" : "fork";

    const proof = await service.ledger.consistencyProof(TENANT, a.size, b.size);
    try {
      verifyConsistency(a.size, b.size, proof.map(fromHex), fromHex(a.root), fromHex(b.root));
      return "consistent";
    } catch {
      return "inconsistent";
    }
  }

  async function expectedRelation(older: string, newer: string): Promise<ShownRelation> {
    const a = body(older);
    const b = body(newer);
    const kind = await expectedKind(older, newer);
    return { fromSize: a.size, fromRoot: a.root, toSize: b.size, toRoot: b.root, kind };
  }

  const byPair = (x: ShownRelation, y: ShownRelation) =>
    `${x.fromSize}${x.fromRoot}${x.toSize}${x.toRoot}`.localeCompare(
      `${y.fromSize}${y.fromRoot}${y.toSize}${y.toRoot}`,
    );

  before(async () => {
    service = await startHarness();
    await createTenant(service, TENANT);
    readKey = (await issueKey(service, TENANT, ["read"])).key;
    verifierKey = service.ledger.verifierKey(TENANT);
    notes.a100 = await appendEvents(service.ledger, 0, 100, "doc/honest");
    notes.a300 = await appendEvents(service.ledger, 100, 200, "doc/honest");

    forkDir = tempDir("anchorlog-web-fork-");
    fork = await openTestLedger(forkDir.dir);
    await fork.createTenant(TENANT);
    notes.b100 = await appendEvents(fork, 0, 100, "doc/forged");
    notes.b150 = await appendEvents(fork, 100, 50, "doc/forged");

    server = await servePage(await builtPage(), service.app);
    tab = await openPage(await sharedBrowser(), server.pageUrl);
  });

  after(async () => {
    await tab?.page.close();
    await server?.close();
    await fork?.close();
    forkDir?.cleanup();
    await service?.close();
  });

  afterEach(() => {
    expect(tab.problems, "console errors or exceptions in the page").to.deep.equal([]);
  });

  it("signs both histories with one key, as the fork needs", () => {
    expect(fork.verifierKey(TENANT)).to.equal(verifierKey);
    expect(body(notes.a100).size).to.equal(body(notes.b100).size);
    expect(body(notes.a100).root).to.not.equal(body(notes.b100).root);
  });

  it("shows a fork: two checkpoints of one size, and pairs the log cannot prove", async () => {
    const shown = await runTimeline(
      tab.page,
      {
        keys: [verifierKey],
        logUrl: `${server.origin}/v1/log/`,
        readKey,
        pasted: notes.a100 + notes.b100 + notes.b150,
      },
      "#fetch-latest",
    );
    await screenshot(tab.page, "timeline-fork");

    const expected = [
      await expectedRelation(notes.a100, notes.b100),
      await expectedRelation(notes.a100, notes.b150),
      await expectedRelation(notes.b100, notes.b150),
      await expectedRelation(notes.b150, notes.a300),
    ];
    expect(shown.forked).to.equal(true);
    expect(shown.headline).to.contain("Fork");
    expect([...shown.relations].sort(byPair)).to.deep.equal([...expected].sort(byPair));
    expect(expected.map((r) => r.kind).sort()).to.deep.equal([
      "fork",
      "inconsistent",
      "inconsistent",
      "inconsistent",
    ]);
    // Same sizes keep the order given; only the served history's roots match its tiles.
    expect(shown.checkpoints.map((c) => [c.size, c.root, c.tiles])).to.deep.equal([
      [100, body(notes.a100).root, "match"],
      [100, body(notes.b100).root, "differ"],
      [150, body(notes.b150).root, "differ"],
      [300, body(notes.a300).root, "match"],
    ]);
  });

  it("shows one history when every checkpoint extends the last", async () => {
    const shown = await runTimeline(
      tab.page,
      { keys: [verifierKey], logUrl: `${server.origin}/v1/log/`, readKey, pasted: notes.a100 },
      "#timeline-check",
    );
    await screenshot(tab.page, "timeline-consistent");

    expect(await expectedKind(notes.a100, notes.a300)).to.equal("consistent");
    expect(shown.forked).to.equal(false);
    expect(shown.relations).to.deep.equal([await expectedRelation(notes.a100, notes.a300)]);
    expect(shown.checkpoints.map((c) => c.tiles)).to.deep.equal(["match", "match"]);
  });

  it("sees a same-size fork without any tiles", async () => {
    await tab.page.reload();

    const shown = await runTimeline(
      tab.page,
      { keys: [verifierKey], pasted: notes.b100 + notes.a100 },
      "#timeline-check",
    );

    expect(shown.forked).to.equal(true);
    expect(shown.relations.map((r) => r.kind)).to.deep.equal(["fork"]);
    expect(shown.checkpoints.map((c) => c.tiles)).to.deep.equal(["unknown", "unknown"]);
  });

  it("sends the read key: without it the log refuses and nothing is collected", async () => {
    await tab.page.reload();
    await tab.page.fill("#log-url", `${server.origin}/v1/log/`);
    await tab.page.fill("#read-key", "");

    await tab.page.click("#fetch-latest");
    await tab.page.waitForFunction(() =>
      document.querySelector("#timeline-status")?.textContent?.includes("HTTP 401"),
    );

    expect(await tab.page.textContent("#collected")).to.contain("none yet");
    // The refused request is logged by the browser itself; it is the expected outcome here.
    tab.problems.splice(0);
  });

  it("ignores checkpoints no trusted key signed", async () => {
    await tab.page.reload();

    await fork.createTenant("other");
    const otherKey = fork.verifierKey("other");

    const shown = await runTimeline(
      tab.page,
      { keys: [otherKey], pasted: notes.a100 },
      "#timeline-check",
    );

    expect(shown.checkpoints.map((c) => c.signed)).to.deep.equal([false]);
  });
});
