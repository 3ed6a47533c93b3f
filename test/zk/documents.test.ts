import { expect } from "chai";

import {
  TIME_FOREVER,
  parseAssignments,
  parseAssignmentsJson,
  parsePolicy,
  parsePolicyJson,
} from "../../ledger/zk";
import { ASSIGNMENTS_DOCUMENT, POLICY_DOCUMENT, T0 } from "./fixtures";
import { expectZkCode } from "./zk-assert";

/** A copy of the fixture policy with `change` applied to its first grant. */
function withGrant(change: Record<string, unknown>): unknown {
  const [first, ...rest] = POLICY_DOCUMENT.grants;
  return { ...POLICY_DOCUMENT, grants: [{ ...first, ...change }, ...rest] };
}

describe("zk documents", () => {
  describe("parsePolicy", () => {
    it("accepts the fixture policy and reads a null validUntil as forever", () => {
      const policy = parsePolicy(POLICY_DOCUMENT);

      expect(policy.grants).to.have.length(3);
      const read = policy.grants.find((g) => g.role === "clerk" && g.action === "read");
      expect(read?.validUntil).to.equal(TIME_FOREVER);
    });

    it("orders grants the same whatever order the document lists them in", () => {
      const reversed = { ...POLICY_DOCUMENT, grants: [...POLICY_DOCUMENT.grants].reverse() };

      expect(parsePolicy(reversed)).to.deep.equal(parsePolicy(POLICY_DOCUMENT));
    });

    it("parses JSON text and rejects text that is not JSON", () => {
      expect(parsePolicyJson(JSON.stringify(POLICY_DOCUMENT))).to.deep.equal(
        parsePolicy(POLICY_DOCUMENT),
      );
      expectZkCode(() => parsePolicyJson("{"), "ZK_BAD_DOCUMENT");
    });

    it("rejects unknown keys, missing keys and other versions", () => {
      expectZkCode(() => parsePolicy({ ...POLICY_DOCUMENT, extra: 1 }), "ZK_BAD_DOCUMENT");
      expectZkCode(() => parsePolicy({ version: 1, roles: [] }), "ZK_BAD_DOCUMENT");
      expectZkCode(() => parsePolicy(withGrant({ note: "x" })), "ZK_BAD_DOCUMENT");
      expectZkCode(() => parsePolicy({ ...POLICY_DOCUMENT, version: 2 }), "ZK_UNSUPPORTED_VERSION");
      expectZkCode(() => parsePolicy([]), "ZK_BAD_DOCUMENT");
    });

    it("rejects undeclared and repeated roles", () => {
      expectZkCode(() => parsePolicy(withGrant({ role: "admin" })), "ZK_UNKNOWN_ROLE");
      expectZkCode(
        () => parsePolicy({ ...POLICY_DOCUMENT, roles: ["clerk", "auditor", "clerk"] }),
        "ZK_DUPLICATE_ROLE",
      );
    });

    it("rejects a grant listed twice", () => {
      const doubled = {
        ...POLICY_DOCUMENT,
        grants: [...POLICY_DOCUMENT.grants, POLICY_DOCUMENT.grants[1]],
      };
      expectZkCode(() => parsePolicy(doubled), "ZK_DUPLICATE_GRANT");
    });

    it("rejects bad names and bad or empty validity windows", () => {
      expectZkCode(() => parsePolicy(withGrant({ action: "" })), "ZK_BAD_NAME");
      expectZkCode(() => parsePolicy(withGrant({ resourceClass: 7 })), "ZK_BAD_NAME");
      expectZkCode(() => parsePolicy(withGrant({ validFrom: -1 })), "ZK_BAD_TIME");
      expectZkCode(() => parsePolicy(withGrant({ validUntil: 2 ** 40 })), "ZK_BAD_TIME");
      expectZkCode(() => parsePolicy(withGrant({ validUntil: T0 })), "ZK_BAD_TIME");
      expectZkCode(() => parsePolicy(withGrant({ validFrom: "2023" })), "ZK_BAD_TIME");
    });
  });

  describe("parseAssignments", () => {
    const policy = parsePolicy(POLICY_DOCUMENT);

    it("accepts the fixture assignments in canonical order", () => {
      const reversed = {
        ...ASSIGNMENTS_DOCUMENT,
        assignments: [...ASSIGNMENTS_DOCUMENT.assignments].reverse(),
      };

      expect(parseAssignments(reversed, policy)).to.deep.equal(
        parseAssignments(ASSIGNMENTS_DOCUMENT, policy),
      );
      expect(parseAssignmentsJson(JSON.stringify(ASSIGNMENTS_DOCUMENT), policy)).to.deep.equal(
        parseAssignments(ASSIGNMENTS_DOCUMENT, policy),
      );
    });

    it("rejects roles the policy does not declare, only when given the policy", () => {
      const doc = {
        version: 1,
        assignments: [{ actor: "dave", role: "admin", from: T0, until: null }],
      };

      expectZkCode(() => parseAssignments(doc, policy), "ZK_UNKNOWN_ROLE");
      expect(parseAssignments(doc).assignments).to.have.length(1);
    });

    it("rejects repeated assignments, empty windows and unknown keys", () => {
      const first = ASSIGNMENTS_DOCUMENT.assignments[0];
      expectZkCode(
        () => parseAssignments({ version: 1, assignments: [first, first] }),
        "ZK_DUPLICATE_ASSIGNMENT",
      );
      expectZkCode(
        () => parseAssignments({ version: 1, assignments: [{ ...first, until: first.from }] }),
        "ZK_BAD_TIME",
      );
      expectZkCode(
        () => parseAssignments({ version: 1, assignments: [{ ...first, since: 0 }] }),
        "ZK_BAD_DOCUMENT",
      );
    });
  });
});
