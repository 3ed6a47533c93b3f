/**
 * The documents of the compliance tests. Times are relative to `now` (whole seconds, taken
 * when a scenario is built) so that events stamped "a few seconds ago" stay within the
 * verifier's lag bound however long other suites ran before. Every expected outcome can be
 * read off the tables below.
 */

export const MINUTE = 60;
export const DAY = 24 * 60 * MINUTE;

/** The policies and assignments of one scenario, built at `now`. */
export function testDocuments(now: number) {
  /**
   *   role     action   resource class  valid
   *   clerk    write    invoice         [now - 1 day, now + 1 day)
   *   clerk    read     invoice         [now - 1 day, forever)
   *   clerk    approve  invoice         [now - 1 day, now - 2 min)   expired two minutes ago
   *   auditor  read     ledger          [now - 1 day, forever)
   */
  const policy = {
    version: 1,
    roles: ["clerk", "auditor"],
    grants: [
      grant("clerk", "write", "invoice", now - DAY, now + DAY),
      grant("clerk", "read", "invoice", now - DAY, null),
      grant("clerk", "approve", "invoice", now - DAY, now - 2 * MINUTE),
      grant("auditor", "read", "ledger", now - DAY, null),
    ],
  };

  /**
   *   actor  role     held
   *   alice  clerk    [now - 1 day, now - 1 min)   revoked a minute ago
   *   bob    auditor  [now - 1 day, forever)
   *   carol  clerk    [now - 1 day, forever)
   */
  const assignments = {
    version: 1,
    assignments: [
      { actor: "alice", role: "clerk", from: now - DAY, until: now - MINUTE },
      { actor: "bob", role: "auditor", from: now - DAY, until: null },
      { actor: "carol", role: "clerk", from: now - DAY, until: null },
    ],
  };

  return {
    policy,
    assignments,
    /** The policy plus "auditors may write the ledger": a root the tenant never anchors. */
    permissivePolicy: {
      ...policy,
      grants: [...policy.grants, grant("auditor", "write", "ledger", now - DAY, null)],
    },
    /** The policy plus "auditors may read invoices": the tenant's second version. */
    policyV2: {
      ...policy,
      grants: [...policy.grants, grant("auditor", "read", "invoice", now - DAY, null)],
    },
  };
}

/** An event by `actor` acting as `role`, stamped `agoSeconds` before `now`. */
export function operationEvent(
  now: number,
  actor: string,
  role: string,
  action: string,
  resourceClass: string,
  agoSeconds: number,
) {
  return {
    actor,
    role,
    action,
    resource: `${resourceClass}/${agoSeconds}`,
    resourceClass,
    timestamp: new Date((now - agoSeconds) * 1000).toISOString(),
  };
}

function grant(
  role: string,
  action: string,
  resourceClass: string,
  validFrom: number,
  validUntil: number | null,
) {
  return { role, action, resourceClass, validFrom, validUntil };
}
