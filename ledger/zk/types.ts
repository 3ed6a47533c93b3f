/**
 * The data model of compliance proofs: a tenant's policy (which role may do which action on
 * which resource class, and when), its role assignments (which actor holds which role, and
 * when), and the operations the log records. Times are seconds since the Unix epoch; every
 * window is half-open, [from, until).
 *
 * Pure: types only.
 */

/** Role `role` may do `action` on `resourceClass` during [validFrom, validUntil). */
export interface Grant {
  readonly role: string;
  readonly action: string;
  readonly resourceClass: string;
  readonly validFrom: number;
  readonly validUntil: number;
}

/**
 * A validated policy. `grants` are in canonical order (see parsePolicy), which fixes each
 * grant's leaf index in the policy tree.
 */
export interface Policy {
  readonly version: 1;
  readonly roles: readonly string[];
  readonly grants: readonly Grant[];
}

/** Actor `actor` holds role `role` during [from, until); a revocation sets `until`. */
export interface Assignment {
  readonly actor: string;
  readonly role: string;
  readonly from: number;
  readonly until: number;
}

/** A validated set of role assignments, in canonical order (see parseAssignments). */
export interface AssignmentSet {
  readonly version: 1;
  readonly assignments: readonly Assignment[];
}

/**
 * One operation as the tenant knows it: who did what to which class of resource, when, and
 * the random salt that hides these fields in the operation commitment.
 */
export interface Operation {
  readonly actor: string;
  readonly role: string;
  readonly action: string;
  readonly resourceClass: string;
  readonly time: number;
  readonly salt: bigint;
}
