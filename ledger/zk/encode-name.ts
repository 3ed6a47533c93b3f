/**
 * Maps the names in policy and assignment documents (actors, roles, actions, resource classes)
 * to field elements:
 *
 *   field(kind, name) = first 31 bytes, big-endian, of
 *                       SHA-256("anchorlog/zk/v1/name/" || kind || 0x00 || UTF-8(name))
 *
 * 31 bytes (248 bits) always lie below the BN254 modulus, so no reduction happens and
 * collisions cost about 2^124 work. The kind keeps an actor and a role of the same spelling
 * apart. Anyone holding the policy document can recompute every value with a SHA-256.
 *
 * Names must be 1-256 UTF-8 bytes in Unicode NFC, with no control characters and no leading or
 * trailing white space, so two spellings that look alike cannot encode differently.
 *
 * Pure: @noble/hashes runs in browsers.
 */
import { sha256 } from "@noble/hashes/sha2";

import { ZkError } from "./errors";
import { bytesToBigInt } from "./field";

/** The kinds of names the compliance scheme encodes. */
export type NameKind = "actor" | "role" | "action" | "resource-class";

/** Longest accepted name, in UTF-8 bytes. */
export const NAME_MAX_BYTES = 256;

const NAME_KINDS: readonly NameKind[] = ["actor", "role", "action", "resource-class"];
const NAME_DOMAIN = "anchorlog/zk/v1/name/";
const utf8 = new TextEncoder();

/**
 * Checks that `name` is an acceptable name (see the module comment).
 *
 * @throws ZkError ZK_BAD_NAME naming `what` otherwise.
 */
export function checkName(name: unknown, what: string): string {
  if (typeof name !== "string") {
    throw new ZkError("ZK_BAD_NAME", `${what} is a ${typeof name}, wanted a string`, { what });
  }

  const size = utf8.encode(name).length;
  if (size === 0 || size > NAME_MAX_BYTES) {
    throw new ZkError("ZK_BAD_NAME", `${what} is ${size} bytes, wanted 1-${NAME_MAX_BYTES}`, {
      what,
      size,
    });
  }
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
    throw new ZkError("ZK_BAD_NAME", `${what} contains a control character`, { what, name });
  }
  if (name.trim() !== name) {
    throw new ZkError("ZK_BAD_NAME", `${what} has leading or trailing white space`, {
      what,
      name,
    });
  }
  if (name.normalize("NFC") !== name) {
    throw new ZkError("ZK_BAD_NAME", `${what} is not in Unicode NFC`, { what, name });
  }

  return name;
}

/**
 * Encodes a name of the given kind as a field element below 2^248.
 *
 * @throws TypeError for an unknown kind.
 * @throws ZkError ZK_BAD_NAME when the name is not acceptable.
 */
export function encodeName(kind: NameKind, name: string): bigint {
  if (!NAME_KINDS.includes(kind)) {
    throw new TypeError(`encodeName: kind must be one of ${NAME_KINDS.join(", ")}`);
  }
  checkName(name, kind);

  const prefix = utf8.encode(`${NAME_DOMAIN}${kind}\u0000`);
  const body = utf8.encode(name);
  const message = new Uint8Array(prefix.length + body.length);
  message.set(prefix, 0);
  message.set(body, prefix.length);
  return bytesToBigInt(sha256(message).subarray(0, 31));
}
