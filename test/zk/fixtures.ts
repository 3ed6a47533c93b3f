/**
 * A small tenant for the compliance tests: a policy, its role assignments and operations that
 * the policy does or does not allow. Times count from T0 so every expected outcome can be read
 * off the tables below.
 */
import {
  DEV_PARAMS,
  buildAssignmentTree,
  buildPolicyTree,
  loadPoseidon,
  parseAssignments,
  parsePolicy,
  type AssignmentTree,
  type Operation,
  type PolicyTree,
  type PoseidonHash,
} from "../../ledger/zk";

/** 2023-11-14T22:13:20Z; any start works, this one is a round number of seconds. */
export const T0 = 1_700_000_000;
export const HOUR = 3_600;
export const DAY = 24 * HOUR;

/**
 *   role     action  resource class  valid
 *   clerk    read    invoice         [T0, forever)
 *   clerk    write   invoice         [T0, T0 + 30 days)
 *   auditor  read    ledger          [T0, forever)
 */
export const POLICY_DOCUMENT = {
  version: 1,
  roles: ["clerk", "auditor"],
  grants: [
    { role: "clerk", action: "read", resourceClass: "invoice", validFrom: T0, validUntil: null },
    {
      role: "clerk",
      action: "write",
      resourceClass: "invoice",
      validFrom: T0,
      validUntil: T0 + 30 * DAY,
    },
    { role: "auditor", action: "read", resourceClass: "ledger", validFrom: T0, validUntil: null },
  ],
};

/**
 *   actor  role     held
 *   alice  clerk    [T0 + 1 day, T0 + 10 days)   revoked after ten days
 *   bob    auditor  [T0, forever)
 *   carol  clerk    [T0, forever)
 */
export const ASSIGNMENTS_DOCUMENT = {
  version: 1,
  assignments: [
    { actor: "alice", role: "clerk", from: T0 + DAY, until: T0 + 10 * DAY },
    { actor: "bob", role: "auditor", from: T0, until: null },
    { actor: "carol", role: "clerk", from: T0, until: null },
  ],
};

/** Fixed salts, so failures reproduce; real operations use randomSalt(). */
export const SALT_A = 0x0a11ce5a17n;
export const SALT_B = 0x0b0b5a17n;

/** Allowed: alice is a clerk on day 2 and clerks may write invoices until day 30. */
export const ALICE_WRITES: Operation = {
  actor: "alice",
  role: "clerk",
  action: "write",
  resourceClass: "invoice",
  time: T0 + 2 * DAY,
  salt: SALT_A,
};

/** Allowed: bob is an auditor from T0 on and auditors may always read the ledger. */
export const BOB_READS: Operation = {
  actor: "bob",
  role: "auditor",
  action: "read",
  resourceClass: "ledger",
  time: T0 + 3 * DAY,
  salt: SALT_B,
};

/** The tenant, parsed and built at the development parameters. */
export interface Tenant {
  readonly hash: PoseidonHash;
  readonly policy: PolicyTree;
  readonly assignments: AssignmentTree;
}

/** Builds the tenant's trees at the dev depths. */
export async function loadTenant(): Promise<Tenant> {
  const hash = await loadPoseidon();
  const policy = parsePolicy(POLICY_DOCUMENT);
  const assignments = parseAssignments(ASSIGNMENTS_DOCUMENT, policy);
  return {
    hash,
    policy: buildPolicyTree(hash, policy, DEV_PARAMS.policyDepth),
    assignments: buildAssignmentTree(hash, assignments, DEV_PARAMS.assignmentDepth),
  };
}

/** Slot of the grant with this role and action in the canonical policy order. */
export function grantSlot(tenant: Tenant, role: string, action: string): number {
  return tenant.policy.policy.grants.findIndex((g) => g.role === role && g.action === action);
}

/** Slot of this actor's assignment in the canonical assignment order. */
export function assignmentSlot(tenant: Tenant, actor: string): number {
  return tenant.assignments.assignments.assignments.findIndex((a) => a.actor === actor);
}
