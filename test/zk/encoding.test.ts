import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";

import { expect } from "chai";

import {
  FIELD_MODULUS,
  TAG_ASSIGNMENT_LEAF,
  TAG_ASSIGNMENT_NODE,
  TAG_GRANT_LEAF,
  TAG_OPERATION,
  TAG_POLICY_NODE,
  TIME_BITS,
  TIME_FOREVER,
  bytesToField,
  checkTime,
  checkWindow,
  encodeName,
  fieldToBytes,
  loadPoseidon,
  operationCommitment,
  randomSalt,
} from "../../ledger/zk";
import { ALICE_WRITES } from "./fixtures";
import { expectZkCode as expectCode } from "./zk-assert";

const TAGS_CIRCOM = path.resolve(__dirname, "..", "..", "circuits", "src", "tags.circom");

/** The same rule as encodeName, written out with Node's own SHA-256. */
function referenceName(kind: string, name: string): bigint {
  const digest = createHash("sha256")
    .update(`anchorlog/zk/v1/name/${kind}\u0000${name}`, "utf8")
    .digest();
  return BigInt(`0x${digest.subarray(0, 31).toString("hex")}`);
}

describe("zk encoding", () => {
  describe("encodeName", () => {
    it("is the first 31 bytes of SHA-256 over the domain, the kind and the name", () => {
      for (const [kind, name] of [
        ["actor", "alice"],
        ["role", "clerk"],
        ["action", "write"],
        ["resource-class", "invoice"],
        ["actor", "Zoë Ångström"],
      ] as const) {
        expect(encodeName(kind, name)).to.equal(referenceName(kind, name));
      }
    });

    it("stays below 2^248 and so below the field modulus", () => {
      const value = encodeName("actor", "alice");
      expect(value < 1n << 248n).to.equal(true);
    });

    it("gives the same spelling different values for different kinds", () => {
      expect(encodeName("actor", "admin")).to.not.equal(encodeName("role", "admin"));
    });

    it("rejects empty, padded, control-character and non-NFC names", () => {
      expectCode(() => encodeName("actor", ""), "ZK_BAD_NAME");
      expectCode(() => encodeName("actor", " alice"), "ZK_BAD_NAME");
      expectCode(() => encodeName("actor", "ali\nce"), "ZK_BAD_NAME");
      expectCode(() => encodeName("actor", "Zoe\u0308"), "ZK_BAD_NAME");
      expectCode(() => encodeName("actor", "x".repeat(257)), "ZK_BAD_NAME");
    });
  });

  describe("tags", () => {
    const tags = {
      TAG_GRANT_LEAF: [TAG_GRANT_LEAF, "anchorlog/zk/v1/grant-leaf"],
      TAG_POLICY_NODE: [TAG_POLICY_NODE, "anchorlog/zk/v1/policy-node"],
      TAG_ASSIGNMENT_LEAF: [TAG_ASSIGNMENT_LEAF, "anchorlog/zk/v1/assignment-leaf"],
      TAG_ASSIGNMENT_NODE: [TAG_ASSIGNMENT_NODE, "anchorlog/zk/v1/assignment-node"],
      TAG_OPERATION: [TAG_OPERATION, "anchorlog/zk/v1/operation"],
    } as const;

    it("are their ASCII labels read as big-endian integers", () => {
      for (const [value, label] of Object.values(tags)) {
        expect(value).to.equal(BigInt(`0x${Buffer.from(label, "ascii").toString("hex")}`));
      }
    });

    it("equal the constants the circuit uses", () => {
      const source = readFileSync(TAGS_CIRCOM, "utf8");
      for (const [name, [value]] of Object.entries(tags)) {
        const match = new RegExp(`function ${name}\\(\\) \\{\\s*return (\\d+);`).exec(source);
        expect(match, name).to.not.equal(null);
        expect(BigInt(match![1]), name).to.equal(value);
      }
    });

    it("are pairwise distinct", () => {
      const values = Object.values(tags).map(([v]) => v);
      expect(new Set(values).size).to.equal(values.length);
    });
  });

  describe("time bounds", () => {
    it("match the circuit's TIME_BITS", () => {
      const source = readFileSync(TAGS_CIRCOM, "utf8");
      const match = /function TIME_BITS\(\) \{\s*return (\d+);/.exec(source);
      expect(Number(match![1])).to.equal(TIME_BITS);
      expect(TIME_FOREVER).to.equal(2 ** 40 - 1);
    });

    it("accept [0, 2^40 - 1] and reject the rest", () => {
      expect(checkTime(0, "t")).to.equal(0);
      expect(checkTime(TIME_FOREVER, "t")).to.equal(TIME_FOREVER);
      expectCode(() => checkTime(TIME_FOREVER + 1, "t"), "ZK_BAD_TIME");
      expectCode(() => checkTime(-1, "t"), "ZK_BAD_TIME");
      expectCode(() => checkTime(1.5, "t"), "ZK_BAD_TIME");
      expectCode(() => checkTime("10", "t"), "ZK_BAD_TIME");
    });

    it("turn a null end into forever and reject empty windows", () => {
      expect(checkWindow(5, null, "w")).to.deep.equal({ from: 5, until: TIME_FOREVER });
      expectCode(() => checkWindow(5, 5, "w"), "ZK_BAD_TIME");
      expectCode(() => checkWindow(6, 5, "w"), "ZK_BAD_TIME");
    });
  });

  describe("field bytes", () => {
    it("round-trips r - 1 and zero through 32 big-endian bytes", () => {
      for (const value of [0n, 1n, FIELD_MODULUS - 1n]) {
        expect(bytesToField(fieldToBytes(value))).to.equal(value);
      }
      expect(Buffer.from(fieldToBytes(258n)).toString("hex")).to.equal(`${"00".repeat(30)}0102`);
    });

    it("rejects 32 bytes that encode r or more", () => {
      const r = Buffer.from(FIELD_MODULUS.toString(16).padStart(64, "0"), "hex");
      expectCode(() => bytesToField(new Uint8Array(r)), "ZK_NOT_FIELD_ELEMENT");
      expect(() => fieldToBytes(FIELD_MODULUS)).to.throw(RangeError);
    });
  });

  describe("operationCommitment", () => {
    it("is Poseidon over the tag, the encoded fields, the time and the salt", async () => {
      const hash = await loadPoseidon();
      const op = ALICE_WRITES;

      const expected = hash([
        TAG_OPERATION,
        referenceName("actor", op.actor),
        referenceName("role", op.role),
        referenceName("action", op.action),
        referenceName("resource-class", op.resourceClass),
        BigInt(op.time),
        op.salt,
      ]);

      expect(operationCommitment(hash, op)).to.equal(expected);
    });

    it("changes with the salt alone", async () => {
      const hash = await loadPoseidon();

      const other = operationCommitment(hash, { ...ALICE_WRITES, salt: ALICE_WRITES.salt + 1n });

      expect(other).to.not.equal(operationCommitment(hash, ALICE_WRITES));
    });

    it("rejects salts of more than 31 bytes", async () => {
      const hash = await loadPoseidon();
      expectCode(
        () => operationCommitment(hash, { ...ALICE_WRITES, salt: 1n << 248n }),
        "ZK_BAD_SALT",
      );
    });

    it("draws salts below 2^248", () => {
      for (let i = 0; i < 32; i++) {
        expect(randomSalt() < 1n << 248n).to.equal(true);
      }
    });
  });
});
