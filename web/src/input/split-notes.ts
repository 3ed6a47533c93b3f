/**
 * Splits pasted text into the checkpoints it holds: C2SP signed notes written one after
 * another, JSON receipts (whose checkpoint and anchor are taken), or a JSON list of either.
 */
import type { AnchorProof } from "../../../ledger/verify";
import { WebError } from "../errors";

const SIGNATURE_LINE = /^\u2014 /;

/** One checkpoint found in pasted text, with the anchor a receipt claims for it. */
export interface PastedCheckpoint {
  note: string;
  /** Where it came from, for display: "note 2", "receipt #42". */
  source: string;
  /** The anchor a receipt states for this checkpoint, not yet checked. */
  anchor?: AnchorProof;
  /** The whole receipt the checkpoint came from, so that its anchor can be checked. */
  receipt?: unknown;
}

/**
 * Finds every checkpoint in `text`. Notes are recognised by their shape: text lines, an empty
 * line, then one or more lines starting with an em dash and a space. Text that starts with
 * "{" or "[" is read as JSON instead.
 *
 * @throws WebError WEB_BAD_INPUT when JSON is malformed or holds something other than notes
 *   and receipts, or when plain text holds no complete note.
 */
export function splitCheckpoints(text: string): PastedCheckpoint[] {
  const trimmed = text.trim();
  if (trimmed === "") return [];

  if (trimmed.startsWith("{") || trimmed.startsWith("[")) return fromJson(trimmed);
  return fromNotes(text);
}

function fromNotes(text: string): PastedCheckpoint[] {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  const out: PastedCheckpoint[] = [];

  let body: string[] = [];
  let signatures: string[] = [];
  const flush = () => {
    if (signatures.length > 0) {
      const note = `${body.join("\n")}\n\n${signatures.join("\n")}\n`;
      out.push({ note, source: `note ${out.length + 1}` });
    }
    body = [];
    signatures = [];
  };
  for (const line of lines) {
    if (SIGNATURE_LINE.test(line)) {
      signatures.push(line);
      continue;
    }
    if (signatures.length > 0) flush();
    // Checkpoint text has no empty lines: the only one in a note comes before its signatures.
    if (line !== "") body.push(line);
  }
  flush();

  if (out.length === 0) {
    throw new WebError("WEB_BAD_INPUT", {
      what: "checkpoints",
      reason: "no signed note found (text, an empty line, then lines starting with an em dash)",
    });
  }
  return out;
}

function fromJson(text: string): PastedCheckpoint[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new WebError("WEB_BAD_INPUT", { what: "checkpoints", reason: "not JSON" }, { cause });
  }

  const items = Array.isArray(value) ? value : [value];
  return items.map((item, i): PastedCheckpoint => {
    if (typeof item === "string") return { note: item, source: `item ${i + 1}` };
    const receipt = item as { checkpoint?: unknown; index?: unknown; anchor?: unknown };
    if (typeof item === "object" && item !== null && typeof receipt.checkpoint === "string") {
      const anchor =
        typeof receipt.anchor === "object" && receipt.anchor !== null
          ? (receipt.anchor as AnchorProof)
          : undefined;
      const source = `receipt #${String(receipt.index)}`;
      return { note: receipt.checkpoint, source, anchor, receipt: item };
    }
    throw new WebError("WEB_BAD_INPUT", {
      what: "checkpoints",
      reason: `item ${i + 1} is neither a signed note nor a receipt`,
    });
  });
}
