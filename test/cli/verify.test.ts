/**
 * `anchorlog verify` and `anchorlog verify-consistency` run as the real binary on receipts,
 * checkpoints and proofs from a real ledger, untouched and with each kind of tampering.
 * The runs of a group start together and are checked one per test.
 */
import { expect } from "chai";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

import type { Ledger } from "../../ledger";
import { formatCheckpoint, parseCheckpoint } from "../../ledger/verify/checkpoint";
import { fromBase64, toBase64 } from "../../ledger/verify/bytes";
import { parseNote, signerFromSeed, signNote } from "../../ledger/verify/note";
import type { Receipt } from "../../ledger/verify/receipt";
import { openTestLedger, sampleEvent, tempDir, TEST_SIGNING_SEED } from "../helpers/temp-ledger";
import { appendEvents, runCli, writeJson, type CliRun } from "./cli-harness";

/** Flips the lowest bit of byte `at` of base64 `text`. */
function flipByte(text: string, at: number): string {
  const bytes = fromBase64(text);
  bytes[at] ^= 1;
  return toBase64(bytes);
}

/** Re-signs a checkpoint note's body with a key that is not the log's. */
function forgeSignature(note: string, body = parseNote(note).text): string {
  const origin = body.slice(0, body.indexOf("\n"));
  return signNote(body, [signerFromSeed(origin, new Uint8Array(32).fill(3))]);
}

describe("anchorlog verify", function () {
  this.timeout(120_000);

  let dir: string;
  let cleanup: () => void;
  let ledger: Ledger;
  let key: string;
  let good: Receipt;
  const runs: Record<string, CliRun> = {};

  // Each tampered receipt and the step that must catch it.
  const tampered: [name: string, step: string, make: (r: Receipt) => Receipt][] = [
    ["event hash flipped", "inclusion", (r) => ({ ...r, leafData: flipByte(r.leafData, 20) })],
    ["index changed", "leaf", (r) => ({ ...r, index: r.index + 1 })],
    [
      "inclusion proof hash flipped",
      "inclusion",
      (r) => ({
        ...r,
        inclusionProof: [flipByte(r.inclusionProof[0], 0), ...r.inclusionProof.slice(1)],
      }),
    ],
    [
      "checkpoint root replaced",
      "checkpoint",
      (r) => {
        const { text, signatures } = parseNote(r.checkpoint);
        const cp = parseCheckpoint(text);
        const body = formatCheckpoint({ ...cp, rootHash: new Uint8Array(32).fill(1) });
        const sigLines = r.checkpoint.slice(text.length + 1);
        expect(signatures.length).to.equal(1);
        return { ...r, checkpoint: `${body}\n${sigLines}` };
      },
    ],
    [
      "checkpoint re-signed by another key (the receipt's own key swapped too)",
      "checkpoint",
      (r) => ({ ...r, checkpoint: forgeSignature(r.checkpoint), verifierKey: "x+00000000+AA==" }),
    ],
    ["tree size changed", "checkpoint", (r) => ({ ...r, treeSize: r.treeSize + 1 })],
  ];

  before(async () => {
    ({ dir, cleanup } = tempDir("anchorlog-cli-verify-"));
    ledger = await openTestLedger(dir);
    await ledger.createTenant("acme");
    await appendEvents(ledger, "acme", 7);
    key = ledger.verifierKey("acme");
    good = await ledger.receipt("acme", 3);
    const keyFile = join(dir, "acme.vkey");
    writeFileSync(keyFile, `# acme's log\n${key}\n`);

    const goodFile = writeJson(join(dir, "good.json"), good);
    const list = writeJson(join(dir, "list.json"), [good, ...tampered.map(([, , f]) => f(good))]);
    const otherKey = signerFromSeed(good.origin, new Uint8Array(32).fill(4));
    const otherVkey = `${otherKey.name}+${Buffer.from(otherKey.keyId).toString("hex")}+${toBase64(
      Uint8Array.of(1, ...otherKey.publicKey),
    )}`;

    const started: Record<string, Promise<CliRun>> = {
      good: runCli(["verify", goodFile, "--key", keyFile]),
      stdin: runCli(["--json", "verify", "-", "--key", key], { input: JSON.stringify(good) }),
      list: runCli(["--json", "verify", list, "--key", key]),
      wrongKey: runCli(["--json", "verify", goodFile, "--key", otherVkey]),
      version: runCli([
        "verify",
        writeJson(join(dir, "v2.json"), { ...good, format: "anchorlog-receipt/v2" }),
        "--key",
        key,
      ]),
      notJson: runCli(["verify", keyFile, "--key", key]),
      missing: runCli(["verify", join(dir, "nothing.json"), "--key", key]),
      noKey: runCli(["verify", goodFile]),
      badKey: runCli(["verify", goodFile, "--key", "acme+deadbeef+AAAA"]),
    };
    for (const [name, run] of Object.entries(started)) runs[name] = await run;
  });

  after(async () => {
    await ledger.close();
    cleanup();
  });

  it("verifies a good receipt step by step and exits 0", () => {
    const run = runs.good;

    expect(run.status, run.stderr).to.equal(0);
    for (const step of ["format", "leaf", "checkpoint", "inclusion"]) {
      expect(run.stdout).to.match(new RegExp(`ok +${step} `));
    }
    expect(run.stdout).to.match(/not anchored +anchor/);
    expect(run.stdout.trim().split("\n").at(-1)).to.equal("VERIFIED");
  });

  it("reads a receipt from standard input and prints one JSON document", () => {
    const doc = runs.stdin.json();

    expect(runs.stdin.status).to.equal(0);
    expect(doc.ok).to.equal(true);
    expect(doc.receipts[0].index).to.equal(3);
    expect(doc.receipts[0].steps.map((s: { step: string }) => s.step)).to.deep.equal([
      "format",
      "leaf",
      "checkpoint",
      "inclusion",
      "anchor",
    ]);
  });

  it("fails each kind of tampering at the step that catches it, exiting 1", () => {
    const doc = runs.list.json();

    expect(runs.list.status).to.equal(1);
    expect(doc.verified).to.equal(1);
    expect(doc.failed).to.equal(tampered.length);
    expect(doc.receipts[0].ok).to.equal(true);
    tampered.forEach(([name, step], i) => {
      const r = doc.receipts[i + 1];
      const failed = r.steps.filter((s: { verdict: string }) => s.verdict === "failed");
      expect(r.ok, name).to.equal(false);
      expect(
        failed.map((s: { step: string }) => s.step),
        name,
      ).to.deep.equal([step]);
      expect(failed[0].code, name).to.match(/^LEDGER_/);
    });
  });

  it("fails a good receipt against a key the log does not use", () => {
    const doc = runs.wrongKey.json();

    expect(runs.wrongKey.status).to.equal(1);
    expect(doc.receipts[0].steps.at(-1)).to.include({ step: "checkpoint", verdict: "failed" });
    expect(doc.receipts[0].steps.at(-1).code).to.equal("LEDGER_NO_VALID_SIGNATURE");
  });

  it("rejects bad input with one line on stderr and exit 2, never a stack trace", () => {
    const cases: [string, RegExp][] = [
      ["version", /anchorlog-receipt\/v2.* is not anchorlog-receipt\/v1/],
      ["notJson", /is not JSON/],
      ["missing", /no such file/],
      ["noKey", /--key/],
      ["badKey", /not a verifier key/],
    ];
    for (const [name, message] of cases) {
      const run = runs[name];
      expect(run.status, name).to.equal(2);
      expect(run.stdout, name).to.equal("");
      expect(run.stderr.trim().split("\n"), name).to.have.length(1);
      expect(run.stderr, name)
        .to.match(message)
        .and.not.match(/\n\s+at /);
    }
  });
});

describe("anchorlog verify-consistency", function () {
  this.timeout(120_000);

  let dir: string;
  let cleanups: (() => void)[] = [];
  const ledgers: Ledger[] = [];
  let key: string;
  const runs: Record<string, CliRun> = {};

  before(async () => {
    const a = tempDir("anchorlog-cli-cons-a-");
    const b = tempDir("anchorlog-cli-cons-b-");
    cleanups = [a.cleanup, b.cleanup];
    dir = a.dir;
    // Two stores with the same signing seed and tenant: the operator signing two histories.
    const ledger = await openTestLedger(a.dir);
    const fork = await openTestLedger(b.dir, { signingSeed: TEST_SIGNING_SEED });
    ledgers.push(ledger, fork);
    for (const l of ledgers) await l.createTenant("acme");
    await appendEvents(ledger, "acme", 5);
    await fork.appendBatch(
      "acme",
      [0, 1, 2, 3, 4].map((i) => sampleEvent(100 + i)),
    );
    key = ledger.verifierKey("acme");
    expect(fork.verifierKey("acme")).to.equal(key);

    const file = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const old = file("old.txt", ledger.checkpoint("acme").note);
    const forked = file("fork.txt", fork.checkpoint("acme").note);
    await appendEvents(ledger, "acme", 6, 5);
    const newer = writeJson(join(dir, "new.json"), { note: ledger.checkpoint("acme").note });
    const proof = await ledger.consistencyProof("acme", 5, 11);
    const apiAnswer = writeJson(join(dir, "proof.json"), { size1: 5, size2: 11, proof });
    const base64List = writeJson(
      join(dir, "proof-b64.json"),
      proof.map((h) => toBase64(Buffer.from(h, "hex"))),
    );
    const flipped = [...proof];
    flipped[1] = (flipped[1][0] === "0" ? "1" : "0") + flipped[1].slice(1);
    const bad = writeJson(join(dir, "bad-proof.json"), flipped);
    const empty = writeJson(join(dir, "empty.json"), []);
    const forged = file("forged.txt", forgeSignature(ledger.checkpoint("acme").note));

    const started: Record<string, Promise<CliRun>> = {
      good: runCli(["verify-consistency", old, newer, apiAnswer, "--key", key]),
      base64: runCli(["--json", "verify-consistency", old, newer, base64List, "--key", key]),
      flipped: runCli(["--json", "verify-consistency", old, newer, bad, "--key", key]),
      reversed: runCli(["--json", "verify-consistency", newer, old, empty, "--key", key]),
      fork: runCli(["--json", "verify-consistency", old, forked, empty, "--key", key]),
      forged: runCli(["--json", "verify-consistency", old, forged, apiAnswer, "--key", key]),
      notProof: runCli(["verify-consistency", old, newer, old, "--key", key]),
    };
    for (const [name, run] of Object.entries(started)) runs[name] = await run;
  });

  after(async () => {
    for (const l of ledgers) await l.close();
    for (const c of cleanups) c();
  });

  it("verifies both notes and the API's proof answer as is, exiting 0", () => {
    expect(runs.good.status, runs.good.stderr).to.equal(0);
    expect(runs.good.stdout).to.match(/ok +consistency +size 11 extends size 5/);
    expect(runs.good.stdout.trim().split("\n").at(-1)).to.equal("CONSISTENT");
  });

  it("accepts a plain list of base64 hashes", () => {
    expect(runs.base64.status).to.equal(0);
    expect(runs.base64.json().ok).to.equal(true);
  });

  it("fails a proof with one flipped hash as inconsistent", () => {
    const last = runs.flipped.json().steps.at(-1);

    expect(runs.flipped.status).to.equal(1);
    expect(last).to.include({
      step: "consistency",
      verdict: "failed",
      code: "LEDGER_ROOT_MISMATCH",
    });
  });

  it("names a newer checkpoint that is smaller a rollback", () => {
    const last = runs.reversed.json().steps.at(-1);

    expect(runs.reversed.status).to.equal(1);
    expect(last.detail).to.match(/^rollback: tree size 5 is smaller than size 11/);
  });

  it("names two signed roots for the same size a fork", () => {
    const last = runs.fork.json().steps.at(-1);

    expect(runs.fork.status).to.equal(1);
    expect(last.detail).to.match(/^fork: two different roots signed for tree size 5/);
  });

  it("fails a checkpoint the trusted key did not sign before looking at the proof", () => {
    const steps = runs.forged.json().steps;

    expect(runs.forged.status).to.equal(1);
    expect(steps.at(-1)).to.include({ step: "new checkpoint", verdict: "failed" });
    expect(steps.at(-1).code).to.equal("LEDGER_NO_VALID_SIGNATURE");
  });

  it("rejects a proof file that is not JSON with exit 2", () => {
    expect(runs.notProof.status).to.equal(2);
    expect(runs.notProof.stderr).to.match(/proof file .* is not JSON/);
  });
});
