/**
 * Canonical parsing of a policy document:
 *
 *   {
 *     "version": 1,
 *     "roles": ["auditor", "clerk"],
 *     "grants": [
 *       { "role": "clerk", "action": "read", "resourceClass": "invoice",
 *         "validFrom": 1700000000, "validUntil": null }
 *     ]
 *   }
 *
 * Every name passes checkName; every grant names a declared role; times are whole seconds in
 * [0, 2^40 - 1] and a null validUntil means "no end"; validFrom < validUntil. Unknown keys,
 * repeated roles and repeated grants are rejected. Grants are put in canonical order: ascending
 * by their encoded fields (role, action, resourceClass, validFrom, validUntil) compared as
 * integers, so the policy root does not depend on how the document lists them.
 *
 * Pure: no Node-only APIs.
 */
import {
  compareTuples,
  expectArray,
  expectObject,
  expectVersion,
  parseJsonText,
} from "./document-shape";
import { checkName } from "./encode-name";
import { ZkError } from "./errors";
import { encodeGrant } from "./grant-leaf";
import { checkWindow } from "./time-bounds";
import type { Grant, Policy } from "./types";

/**
 * Validates a parsed policy document and returns it in canonical form.
 *
 * @throws ZkError ZK_BAD_DOCUMENT, ZK_UNSUPPORTED_VERSION, ZK_BAD_NAME, ZK_BAD_TIME,
 *   ZK_UNKNOWN_ROLE, ZK_DUPLICATE_ROLE or ZK_DUPLICATE_GRANT for a document that breaks the
 *   rules in the module comment.
 */
export function parsePolicy(document: unknown): Policy {
  const doc = expectObject(document, "policy", ["version", "roles", "grants"]);
  const version = expectVersion(doc.version, "policy");

  const roles = expectArray(doc.roles, "policy.roles").map((role, i) =>
    checkName(role, `policy.roles[${i}]`),
  );
  const declared = new Set<string>();
  for (const role of roles) {
    if (declared.has(role)) {
      throw new ZkError("ZK_DUPLICATE_ROLE", `role "${role}" is declared twice`, { role });
    }
    declared.add(role);
  }

  const grants = expectArray(doc.grants, "policy.grants").map((item, i) =>
    parseGrant(item, `policy.grants[${i}]`, declared),
  );

  const keyed = grants.map((grant) => ({ grant, key: encodeGrant(grant) }));
  keyed.sort((a, b) => compareTuples(a.key, b.key));
  for (let i = 1; i < keyed.length; i++) {
    if (compareTuples(keyed[i - 1].key, keyed[i].key) === 0) {
      throw new ZkError("ZK_DUPLICATE_GRANT", "policy lists the same grant twice", {
        grant: keyed[i].grant,
      });
    }
  }

  return { version, roles, grants: keyed.map((k) => k.grant) };
}

/**
 * Parses policy JSON text and validates it as {@link parsePolicy} does.
 *
 * @throws ZkError ZK_BAD_DOCUMENT for text that is not JSON, else as parsePolicy.
 */
export function parsePolicyJson(text: string): Policy {
  return parsePolicy(parseJsonText(text, "policy"));
}

function parseGrant(item: unknown, what: string, declared: ReadonlySet<string>): Grant {
  const raw = expectObject(item, what, [
    "role",
    "action",
    "resourceClass",
    "validFrom",
    "validUntil",
  ]);
  const role = checkName(raw.role, `${what}.role`);
  if (!declared.has(role)) {
    throw new ZkError("ZK_UNKNOWN_ROLE", `${what} names undeclared role "${role}"`, {
      what,
      role,
    });
  }

  const action = checkName(raw.action, `${what}.action`);
  const resourceClass = checkName(raw.resourceClass, `${what}.resourceClass`);
  const { from, until } = checkWindow(raw.validFrom, raw.validUntil, what);

  return { role, action, resourceClass, validFrom: from, validUntil: until };
}
