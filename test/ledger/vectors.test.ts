import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import {
  fromBase64,
  fromHex,
  leafHash,
  parseSignerKey,
  parseVerifierKey,
  signNote,
  toHex,
  verifyConsistency,
  verifyInclusion,
  verifyNote,
  isLedgerError,
} from "../../ledger/verify";
import { naiveRoot } from "../helpers/naive-tree";
import { jsonFiles, vectorsDir } from "../helpers/vectors";

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

// Vectors encode hashes as base64, and some mutations make them invalid or empty: decode
// leniently with Buffer so those reach the verifier, which must then reject them.
const b64 = (s: string) => new Uint8Array(Buffer.from(s, "base64"));

describe("RFC 6962 conformance vectors", () => {
  describe("inclusion proofs", () => {
    const cases = jsonFiles("rfc6962/inclusion") as [string, InclusionVector][];

    it("covers the whole vector set", () => {
      assert.ok(cases.length > 50, `only ${cases.length} inclusion vectors found`);
    });

    for (const [name, v] of cases) {
      it(`${v.wantErr ? "rejects" : "verifies"} ${name} (${v.desc})`, () => {
        const run = () =>
          verifyInclusion(
            v.leafIdx,
            v.treeSize,
            b64(v.leafHash),
            (v.proof ?? []).map(b64),
            b64(v.root),
          );
        if (v.wantErr) assert.throws(run, (err) => isLedgerError(err));
        else run();
      });
    }
  });

  describe("consistency proofs", () => {
    const cases = jsonFiles("rfc6962/consistency") as [string, ConsistencyVector][];

    it("covers the whole vector set", () => {
      assert.ok(cases.length > 50, `only ${cases.length} consistency vectors found`);
    });

    for (const [name, v] of cases) {
      it(`${v.wantErr ? "rejects" : "verifies"} ${name} (${v.desc})`, () => {
        const run = () =>
          verifyConsistency(v.size1, v.size2, (v.proof ?? []).map(b64), b64(v.root1), b64(v.root2));
        if (v.wantErr) assert.throws(run, (err) => isLedgerError(err));
        else run();
      });
    }
  });

  describe("roots.json", () => {
    const data = JSON.parse(readFileSync(join(vectorsDir(), "rfc6962/roots.json"), "utf8"));

    it("reproduces the root of every prefix of the reference leaves", () => {
      const leaves: Uint8Array[] = data.leafInputs.map((h: string) => leafHash(fromHex(h)));
      data.roots.forEach((want: string, n: number) => {
        assert.equal(toHex(naiveRoot(leaves.slice(0, n))), want, `root of ${n} leaves`);
      });
    });
  });
});

describe("signed-note conformance vectors", () => {
  const data = JSON.parse(readFileSync(join(vectorsDir(), "signed-note/notes.json"), "utf8"));

  for (const c of data.cases) {
    it(`verifies the note from ${c.source}`, () => {
      const note = `${c.text}\n\u2014 ${c.verifierKey.split("+")[0]} ${c.signature}\n`;
      const verified = verifyNote(note, [parseVerifierKey(c.verifierKey)]);
      assert.equal(verified.text, c.text);
    });

    if (c.signerKey !== undefined) {
      it(`reproduces the signature from ${c.source} byte for byte`, () => {
        const signer = parseSignerKey(c.signerKey);
        const note = signNote(c.text, [signer]);
        const line = note.slice(c.text.length + 1);
        assert.equal(line, `\u2014 ${signer.name} ${c.signature}\n`);
        assert.deepEqual(signer.publicKey, parseVerifierKey(c.verifierKey).publicKey);
      });
    }

    it(`rejects the note from ${c.source} with one bit of the text flipped`, () => {
      const text = c.text.replace(/.$/s, "") === c.text ? c.text : `X${c.text.slice(1)}`;
      const note = `${text}\n\u2014 ${c.verifierKey.split("+")[0]} ${c.signature}\n`;
      assert.throws(
        () => verifyNote(note, [parseVerifierKey(c.verifierKey)]),
        (err) => isLedgerError(err, "LEDGER_NO_VALID_SIGNATURE"),
      );
    });
  }

  it("decodes base64 signatures of the vectors to key ID plus 64 bytes", () => {
    for (const c of data.cases) assert.equal(fromBase64(c.signature).length, 68);
  });
});
