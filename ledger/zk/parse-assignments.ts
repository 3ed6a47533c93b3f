/**
 * Canonical parsing of a role-assignment document:
 *
 *   {
 *     "version": 1,
 *     "assignments": [
 *       { "actor": "alice", "role": "clerk", "from": 1700000000, "until": null }
 *     ]
 *   }
 *
 * Every name passes checkName; times are whole seconds in [0, 2^40 - 1], a null until means
 * "not revoked", and from < until. A revocation sets `until` and keeps the entry, so a newer
 * assignment root still covers operations from before the revocation. Unknown keys and
 * repeated assignments are rejected; when a policy is given, every role must be one it
 * declares. Assignments are put in canonical order: ascending by their encoded fields (actor,
 * role, from, until) compared as integers.
 *
 * Pure: no Node-only APIs.
 */
import { encodeAssignment } from "./assignment-leaf";
import {
  compareTuples,
  expectArray,
  expectObject,
  expectVersion,
  parseJsonText,
} from "./document-shape";
import { checkName } from "./encode-name";
import { ZkError } from "./errors";
import { checkWindow } from "./time-bounds";
import type { Assignment, AssignmentSet, Policy } from "./types";

/**
 * Validates a parsed assignment document and returns it in canonical form. With `policy`,
 * also checks that each role is declared there.
 *
 * @throws ZkError ZK_BAD_DOCUMENT, ZK_UNSUPPORTED_VERSION, ZK_BAD_NAME, ZK_BAD_TIME,
 *   ZK_UNKNOWN_ROLE or ZK_DUPLICATE_ASSIGNMENT for a document that breaks the rules in the
 *   module comment.
 */
export function parseAssignments(document: unknown, policy?: Policy): AssignmentSet {
  const doc = expectObject(document, "assignments", ["version", "assignments"]);
  const version = expectVersion(doc.version, "assignments");
  const declared = policy === undefined ? undefined : new Set(policy.roles);

  const assignments = expectArray(doc.assignments, "assignments.assignments").map((item, i) =>
    parseAssignment(item, `assignments.assignments[${i}]`, declared),
  );

  const keyed = assignments.map((assignment) => ({
    assignment,
    key: encodeAssignment(assignment),
  }));
  keyed.sort((a, b) => compareTuples(a.key, b.key));
  for (let i = 1; i < keyed.length; i++) {
    if (compareTuples(keyed[i - 1].key, keyed[i].key) === 0) {
      throw new ZkError("ZK_DUPLICATE_ASSIGNMENT", "the same assignment appears twice", {
        assignment: keyed[i].assignment,
      });
    }
  }

  return { version, assignments: keyed.map((k) => k.assignment) };
}

/**
 * Parses assignment JSON text and validates it as {@link parseAssignments} does.
 *
 * @throws ZkError ZK_BAD_DOCUMENT for text that is not JSON, else as parseAssignments.
 */
export function parseAssignmentsJson(text: string, policy?: Policy): AssignmentSet {
  return parseAssignments(parseJsonText(text, "assignments"), policy);
}

function parseAssignment(
  item: unknown,
  what: string,
  declared: ReadonlySet<string> | undefined,
): Assignment {
  const raw = expectObject(item, what, ["actor", "role", "from", "until"]);
  const actor = checkName(raw.actor, `${what}.actor`);
  const role = checkName(raw.role, `${what}.role`);
  if (declared !== undefined && !declared.has(role)) {
    throw new ZkError("ZK_UNKNOWN_ROLE", `${what} names undeclared role "${role}"`, {
      what,
      role,
    });
  }

  const { from, until } = checkWindow(raw.from, raw.until, what);

  return { actor, role, from, until };
}
