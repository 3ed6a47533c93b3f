import { readFileSync } from "node:fs";
import * as path from "node:path";

import { expect } from "chai";

import {
  DEV_PARAMS,
  TAG_OPERATION,
  buildWindowWitness,
  encodeOperation,
  proveWindow,
  releaseProverThreads,
  type CircuitInputValue,
  type Operation,
  type WindowOperation,
} from "../../ledger/zk";
import { devSetupFiles } from "../../ledger/zk/dev-artifacts";
import {
  ALICE_WRITES,
  BOB_READS,
  DAY,
  HOUR,
  T0,
  assignmentSlot,
  grantSlot,
  loadTenant,
  type Tenant,
} from "./fixtures";
import { calculateWitness, quietly } from "./witness-tools";
import { expectZkCode, expectZkRejection } from "./zk-assert";

type Input = Record<string, CircuitInputValue>;

/** A constraint in the circuit source: the template and the line of a statement in it. */
interface Site {
  readonly template: string;
  readonly line: number;
}

/** Finds `statement` in circuits/src/<file>; the witness generator reports that line. */
function site(file: string, template: string, statement: string): Site {
  const source = path.resolve(__dirname, "..", "..", "circuits", "src", file);
  const line = readFileSync(source, "utf8")
    .split("\n")
    .findIndex((l) => l.trim() === statement);
  if (line < 0) throw new Error(`${statement} not found in ${file}`);
  return { template, line: line + 1 };
}

const OPENING = site("operation-check.circom", "OperationCheck", "open.out === commitment;");
const TIME_RANGE = site("operation-check.circom", "OperationCheck", "timeBits.in <== time;");
const ASSIGNMENT_ROOT = site(
  "operation-check.circom",
  "OperationCheck",
  "assignPath.root === assignmentRoot;",
);
const GRANT_ROOT = site(
  "operation-check.circom",
  "OperationCheck",
  "grantPath.root === policyRoot;",
);
const HELD = site("operation-check.circom", "OperationCheck", "held.end <== assignUntil;");
const GRANTED = site("operation-check.circom", "OperationCheck", "granted.end <== grantUntil;");
const NOT_BEFORE = site("time-within.circom", "TimeWithin", "notBefore.out === 1;");
const BEFORE_END = site("time-within.circom", "TimeWithin", "beforeEnd.out === 1;");

/** alice as a clerk deletes an invoice: clerks have no "delete" grant. */
const ALICE_DELETES: Operation = { ...ALICE_WRITES, action: "delete" };
/** alice writes on day 11: her clerk role ended on day 10. */
const ALICE_WRITES_LATE: Operation = { ...ALICE_WRITES, time: T0 + 11 * DAY };
/** alice reads 12 hours after T0: her clerk role starts on day 1. */
const ALICE_READS_EARLY: Operation = { ...ALICE_WRITES, action: "read", time: T0 + 12 * HOUR };
/** carol writes on day 31: the clerk write grant ended on day 30. */
const CAROL_WRITES_LATE: Operation = { ...ALICE_WRITES, actor: "carol", time: T0 + 31 * DAY };

describe("zk witness for operations the roots do not allow", function () {
  this.timeout(120_000);

  let tenant: Tenant;
  const wasm = devSetupFiles().wasm;

  before(async () => {
    tenant = await loadTenant();
  });

  after(() => releaseProverThreads());

  const build = (first: WindowOperation) =>
    buildWindowWitness(tenant.hash, DEV_PARAMS, tenant.policy, tenant.assignments, 0, [
      first,
      { operation: BOB_READS },
    ]);

  /**
   * Asserts that witness generation fails for this input, at the given constraints: the
   * generator names every template on the way down to the failing assertion.
   */
  const expectCircuitRejects = async (input: Input, ...sites: Site[]): Promise<void> => {
    const error = await quietly(() => calculateWitness(wasm, input)).then(
      () => undefined,
      (err: unknown) => err,
    );

    expect(error, "witness generation should fail").to.be.instanceOf(Error);
    expect(sites.length).to.be.greaterThan(0);
    for (const { template, line } of sites) {
      expect((error as Error).message).to.match(
        new RegExp(`Error in template ${template}_\\d+ line: ${line}\\b`),
      );
    }
  };

  /** A valid input with some signals replaced. */
  const validWith = (change: (input: Input, row: Operation) => void): Input => {
    const input = { ...build({ operation: ALICE_WRITES }).input } as Input;
    change(input, ALICE_WRITES);
    return input;
  };

  /** Replaces operation 0's value in a per-operation signal array. */
  const setFirst = (input: Input, signal: string, value: bigint | number): void => {
    const column = [...(input[signal] as readonly string[])];
    column[0] = value.toString();
    input[signal] = column;
  };

  it("accepts the allowed window (so the failures below are the changes' doing)", async () => {
    const witness = await calculateWitness(wasm, build({ operation: ALICE_WRITES }).input);
    expect(witness[0]).to.equal(1n);
  });

  describe("when JavaScript picks the leaves", () => {
    it("reports ZK_NOT_GRANTED for an action the role lacks", () => {
      expectZkCode(() => build({ operation: ALICE_DELETES }), "ZK_NOT_GRANTED");
    });

    it("reports ZK_NOT_ASSIGNED after the assignment ended and before it began", () => {
      expectZkCode(() => build({ operation: ALICE_WRITES_LATE }), "ZK_NOT_ASSIGNED");
      expectZkCode(() => build({ operation: ALICE_READS_EARLY }), "ZK_NOT_ASSIGNED");
    });

    it("reports ZK_NOT_GRANTED outside the grant's validity window", () => {
      expectZkCode(() => build({ operation: CAROL_WRITES_LATE }), "ZK_NOT_GRANTED");
    });
  });

  describe("when the prover forces a leaf, the circuit refuses", () => {
    it("an action the role lacks, against the role's write grant", async () => {
      const forced = { operation: ALICE_DELETES, grantIndex: grantSlot(tenant, "clerk", "write") };
      await expectCircuitRejects(build(forced).input as Input, GRANT_ROOT);
    });

    it("an actor acting after its assignment ended", async () => {
      const forced = {
        operation: ALICE_WRITES_LATE,
        assignmentIndex: assignmentSlot(tenant, "alice"),
      };
      await expectCircuitRejects(build(forced).input as Input, BEFORE_END, HELD);
    });

    it("an actor acting before its assignment began", async () => {
      const forced = {
        operation: ALICE_READS_EARLY,
        assignmentIndex: assignmentSlot(tenant, "alice"),
      };
      await expectCircuitRejects(build(forced).input as Input, NOT_BEFORE, HELD);
    });

    it("an operation outside the grant's validity window", async () => {
      const forced = {
        operation: CAROL_WRITES_LATE,
        grantIndex: grantSlot(tenant, "clerk", "write"),
      };
      await expectCircuitRejects(build(forced).input as Input, BEFORE_END, GRANTED);
    });

    it("another actor's assignment", async () => {
      const forced = { operation: ALICE_WRITES, assignmentIndex: assignmentSlot(tenant, "carol") };
      await expectCircuitRejects(build(forced).input as Input, ASSIGNMENT_ROOT);
    });

    it("and proveWindow reports ZK_WITNESS_FAILED", async () => {
      const forced = { operation: ALICE_DELETES, grantIndex: grantSlot(tenant, "clerk", "write") };
      await quietly(() =>
        expectZkRejection(proveWindow(devSetupFiles(), build(forced)), "ZK_WITNESS_FAILED"),
      );
    });
  });

  describe("when the opening does not match the commitment", () => {
    it("refuses a changed commitment", async () => {
      await expectCircuitRejects(
        validWith((input) => {
          const commitment = BigInt((input.commitment as string[])[0]);
          setFirst(input, "commitment", commitment + 1n);
        }),
        OPENING,
      );
    });

    it("refuses a changed salt", async () => {
      await expectCircuitRejects(
        validWith((input, op) => setFirst(input, "salt", op.salt + 1n)),
        OPENING,
      );
    });

    it("refuses a changed field (the resource class)", async () => {
      const other = encodeOperation({ ...ALICE_WRITES, resourceClass: "ledger" })[3];
      await expectCircuitRejects(
        validWith((input) => setFirst(input, "resourceClass", other)),
        OPENING,
      );
    });
  });

  describe("when the roots are not the ones the leaves belong to", () => {
    it("refuses another policy root", async () => {
      await expectCircuitRejects(
        validWith((input) => (input.policyRoot = (tenant.policy.root + 1n).toString())),
        GRANT_ROOT,
      );
    });

    it("refuses another assignment root", async () => {
      await expectCircuitRejects(
        validWith((input) => (input.assignmentRoot = tenant.policy.root.toString())),
        ASSIGNMENT_ROOT,
      );
    });
  });

  describe("when a time does not fit in 40 bits", () => {
    it("refuses time + 2^40 even with a commitment that opens to it", async () => {
      const time = BigInt(ALICE_WRITES.time) + (1n << 40n);
      const fields = encodeOperation(ALICE_WRITES);
      const commitment = tenant.hash([TAG_OPERATION, ...fields.slice(0, 4), time, fields[5]]);

      await expectCircuitRejects(
        validWith((input) => {
          setFirst(input, "time", time);
          setFirst(input, "commitment", commitment);
        }),
        TIME_RANGE,
      );
    });
  });
});
