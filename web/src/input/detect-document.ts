/**
 * Tells what kind of document the officer dropped or pasted, from its `format` field, before
 * any verification: a receipt, a compliance bundle, or something this page does not know.
 */
import { RECEIPT_FORMAT } from "../../../ledger/verify";
import { WebError } from "../errors";

/** The format prefix every compliance bundle carries, whatever its version. */
export const COMPLIANCE_BUNDLE_PREFIX = "anchorlog-compliance";

/** A parsed document and what it claims to be. */
export type DetectedDocument =
  | { kind: "receipt"; format: string; value: Record<string, unknown> }
  | { kind: "compliance-bundle"; format: string; value: Record<string, unknown> }
  | { kind: "unknown"; format: string; value: unknown };

/**
 * Parses `text` as JSON and classifies it by its `format` member. A document whose format is
 * missing or unknown comes back as `unknown`; the caller decides what to say.
 *
 * @throws WebError WEB_BAD_INPUT when `text` is empty or not JSON.
 */
export function detectDocument(text: string): DetectedDocument {
  if (text.trim() === "") {
    throw new WebError("WEB_BAD_INPUT", { what: "document", reason: "nothing was given" });
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new WebError("WEB_BAD_INPUT", { what: "document", reason: "not JSON" }, { cause });
  }

  const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
  const format = isObject ? (value as { format?: unknown }).format : undefined;
  if (!isObject || typeof format !== "string") return { kind: "unknown", format: "", value };
  const record = value as Record<string, unknown>;
  if (format === RECEIPT_FORMAT) return { kind: "receipt", format, value: record };
  if (format.startsWith(COMPLIANCE_BUNDLE_PREFIX)) {
    return { kind: "compliance-bundle", format, value: record };
  }
  return { kind: "unknown", format, value };
}
