/**
 * The verifier page in headless Chromium, checking receipts of a real ledger: its verdicts
 * must equal the verify module's on the same receipts, link by link.
 */
import { expect } from "chai";

import type { Ledger } from "../../ledger";
import { fromBase64, toBase64, verifyReceipt, type Receipt } from "../../ledger/verify";
import { openTestLedger, sampleEvent, tempDir } from "../helpers/temp-ledger";
import { openPage, screenshot, type WatchedPage } from "./browser";
import { builtPage } from "./page-build";
import { asShown, checkedLinks, verifyDocument } from "./page-driver";
import { PAGE_CSP, servePage, type PageServer } from "./page-server";
import { sharedBrowser } from "./shared";

// Leaf data layout (docs/formats.md): the event hash fills bytes [17, 49).
const EVENT_HASH_BYTE = 20;

describe("verifier page: receipts", function () {
  this.timeout(120_000);

  let tmp: ReturnType<typeof tempDir>;
  let ledger: Ledger;
  let server: PageServer;
  let tab: WatchedPage;
  let receipt: Receipt;
  let key: string;
  let otherKey: string;

  before(async () => {
    tmp = tempDir("anchorlog-web-receipt-");
    ledger = await openTestLedger(tmp.dir);
    await ledger.createTenant("acme");
    await ledger.createTenant("other");
    for (let i = 0; i < 5; i++) await ledger.append("acme", sampleEvent(i));
    receipt = await ledger.receipt("acme", 3);
    key = ledger.verifierKey("acme");
    otherKey = ledger.verifierKey("other");

    server = await servePage(await builtPage());
    tab = await openPage(await sharedBrowser(), server.pageUrl);
  });

  after(async () => {
    await tab?.page.close();
    await server?.close();
    await ledger?.close();
    tmp?.cleanup();
  });

  afterEach(() => {
    expect(tab.problems, "console errors or exceptions in the page").to.deep.equal([]);
  });

  it("carries the same Content-Security-Policy as the headers it is served with", async () => {
    const meta = await tab.page.getAttribute(
      'meta[http-equiv="Content-Security-Policy"]',
      "content",
    );

    // A meta tag cannot forbid framing; only the header says frame-ancestors.
    expect(`${meta}; frame-ancestors 'none'`).to.equal(PAGE_CSP);
  });

  it("verifies a signed receipt with the module's steps and leaves the anchor unchecked", async () => {
    const expected = verifyReceipt(receipt, [key]);

    const shown = await verifyDocument(tab.page, { keys: [key], document: receipt });
    await screenshot(tab.page, "receipt-valid");

    expect(expected.ok).to.equal(true);
    expect(checkedLinks(shown)).to.deep.equal(asShown(expected.steps));
    expect(shown.links.map((l) => l.step)).to.deep.equal([
      "format",
      "leaf",
      "checkpoint",
      "inclusion",
      "anchor",
    ]);
    expect(shown.links[4].verdict).to.equal("skip");
    expect(shown.outcome).to.equal("partial");
    expect(shown.status).to.contain(`entry 3 of ${receipt.origin}`);
  });

  it("shows the leaf, path and checkpoint data each link used", async () => {
    await verifyDocument(tab.page, { keys: [key], document: receipt });

    const data = await tab.page.$$eval("#doc-result dd", (dds) => dds.map((d) => d.textContent));
    const verdict = verifyReceipt(receipt, [key]);
    expect(data).to.include(verdict.leafHash);
    expect(data).to.include(verdict.rootHash);
    for (const hash of receipt.inclusionProof) {
      expect(data.join("\n")).to.contain(Buffer.from(fromBase64(hash)).toString("hex"));
    }
    expect(data.join("\n")).to.contain(`${key} (entered by you)`);
  });

  it("fails at the inclusion link when the event hash in the leaf is changed", async () => {
    const leaf = fromBase64(receipt.leafData);
    leaf[EVENT_HASH_BYTE] ^= 1;
    const tampered = { ...receipt, leafData: toBase64(leaf) };
    const expected = verifyReceipt(tampered, [key]);

    const shown = await verifyDocument(tab.page, { keys: [key], document: tampered });
    await screenshot(tab.page, "receipt-tampered");

    expect(expected.steps.at(-1)).to.include({ step: "inclusion", ok: false });
    expect(checkedLinks(shown)).to.deep.equal(asShown(expected.steps));
    expect(shown.outcome).to.equal("failed");
    expect(shown.summary).to.contain("Broken link: Inclusion in the checkpoint");
  });

  it("fails at the leaf link when the receipt claims another index", async () => {
    const moved = { ...receipt, index: 2 };
    const expected = verifyReceipt(moved, [key]);

    const shown = await verifyDocument(tab.page, { keys: [key], document: moved });

    expect(expected.steps.at(-1)).to.include({ step: "leaf", ok: false });
    expect(checkedLinks(shown)).to.deep.equal(asShown(expected.steps));
    expect(shown.links.slice(2).map((l) => l.verdict)).to.deep.equal(["skip", "skip", "skip"]);
  });

  it("fails at the checkpoint link when the trusted key is another log's", async () => {
    const expected = verifyReceipt(receipt, [otherKey]);

    const shown = await verifyDocument(tab.page, { keys: [otherKey], document: receipt });
    await screenshot(tab.page, "receipt-wrong-key");

    expect(expected.steps.at(-1)).to.include({ step: "checkpoint", ok: false });
    expect(checkedLinks(shown)).to.deep.equal(asShown(expected.steps));
    expect(shown.summary).to.contain("Broken link: Checkpoint signature");
  });

  it("uses the receipt's own key only when asked, and then warns", async () => {
    const without = await verifyDocument(tab.page, { keys: [], document: receipt });
    const withKey = await verifyDocument(tab.page, {
      keys: [],
      trustReceiptKey: true,
      document: receipt,
    });
    await screenshot(tab.page, "receipt-own-key-warning");

    expect(without.outcome).to.equal("failed");
    expect(without.warnings).to.deep.equal([]);
    expect(checkedLinks(withKey)).to.deep.equal(
      asShown(verifyReceipt(receipt, [receipt.verifierKey as string]).steps),
    );
    expect(withKey.warnings).to.have.length(1);
    expect(withKey.warnings[0]).to.contain("inside the receipt");
  });

  it("reads a receipt from a chosen file", async () => {
    await tab.page.fill("#trusted-keys", key);
    await tab.page.$eval("#doc-result", (node) => node.replaceChildren());

    await tab.page.setInputFiles("#doc-file", {
      name: "receipt.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify(receipt)),
    });
    await tab.page.waitForSelector("#doc-result [data-outcome]");

    expect(await tab.page.inputValue("#doc-text")).to.equal(JSON.stringify(receipt));
    const steps = await tab.page.$$eval("#doc-result li.link", (lis) =>
      lis.map((li) => (li as HTMLElement).dataset.verdict),
    );
    expect(steps).to.deep.equal(["pass", "pass", "pass", "pass", "skip"]);
  });
});
