/**
 * Renders a {@link Timeline}: a verdict line (fork or not), a table of checkpoints by tree
 * size with signature and anchor, and the relation between each checkpoint and those before
 * it. Rows and relations carry data attributes (size, root, kind) for tools and tests.
 */
import type {
  AnchorClaim,
  Timeline,
  TimelineEntry,
  TimelineRelation,
} from "../checks/check-timeline";
import { el } from "./dom";

const KIND_WORDS: Record<TimelineRelation["kind"], string> = {
  consistent: "✓ Consistent",
  inconsistent: "✗ Inconsistent",
  fork: "✗ Fork",
  unchecked: "– Not checked",
};

const TILES_WORDS: Record<TimelineEntry["tiles"], string> = {
  match: "✓ same root",
  differ: "✗ another root: not the tree this log serves",
  unknown: "– not compared",
};

const ANCHOR_WORDS: Record<AnchorClaim["status"], string> = {
  confirmed: "✓ Anchored",
  refuted: "✗ Anchor does not hold",
  claimed: "– Claimed",
};

/** Builds the element showing `timeline`. */
export function renderTimeline(t: Timeline): HTMLElement {
  return el(
    "article",
    { class: `timeline ${t.forked ? "timeline--forked" : ""}`, "data-forked": String(t.forked) },
    el("h3", { class: "report__title", tabindex: -1 }, headline(t)),
    el("p", { class: "report__summary" }, summary(t)),
    el(
      "table",
      { class: "checkpoints" },
      el("caption", {}, `Checkpoints of ${t.origin ?? "the log"}, by tree size`),
      el(
        "thead",
        {},
        el(
          "tr",
          {},
          ["#", "Tree size", "Root hash", "Signature", "The log's tiles", "Anchored", "From"].map(
            (h) => el("th", { scope: "col" }, h),
          ),
        ),
      ),
      el("tbody", {}, t.entries.map(renderEntry)),
    ),
    el("h4", {}, "How each checkpoint relates to those before it"),
    t.relations.length === 0
      ? el("p", {}, "Nothing to relate: fewer than two signed checkpoints.")
      : el(
          "ol",
          { class: "relations" },
          t.relations.map((r) => renderRelation(r, t)),
        ),
  );
}

function headline(t: Timeline): string {
  if (t.forked) return "✗ Fork: these checkpoints cannot all come from one honest log";
  if (t.relations.some((r) => r.kind === "unchecked")) return "◐ No fork seen, not all checked";
  return "✓ One history: every checkpoint extends the ones before";
}

function summary(t: Timeline): string {
  const signed = t.entries.filter((e) => e.signed).length;
  const unsigned = t.entries.length - signed;
  const forks = t.relations.filter((r) => r.kind === "fork").length;
  const bad = t.relations.filter((r) => r.kind === "inconsistent").length;
  const parts = [`${signed} signed checkpoint${signed === 1 ? "" : "s"}`];
  if (unsigned > 0) parts.push(`${unsigned} not signed by your key (ignored)`);
  if (forks > 0) parts.push(`${forks} pair${forks === 1 ? "" : "s"} of one size, different roots`);
  if (bad > 0) parts.push(`${bad} pair${bad === 1 ? "" : "s"} the log cannot prove consistent`);
  return `${parts.join("; ")}.`;
}

function renderEntry(e: TimelineEntry): HTMLElement {
  return el(
    "tr",
    {
      class: e.signed ? "" : "unsigned",
      "data-size": e.size,
      "data-root": e.rootHash,
      "data-signed": String(e.signed),
    },
    el("td", {}, String(e.id + 1)),
    el("td", {}, e.size === undefined ? "?" : String(e.size)),
    el("td", {}, el("code", { class: "hash" }, e.rootHash ?? "?")),
    el("td", {}, e.signed ? `✓ ${e.detail}` : `✗ ${e.code ?? ""} ${e.detail}`),
    el("td", { "data-tiles": e.tiles }, TILES_WORDS[e.tiles]),
    el(
      "td",
      {},
      e.anchors.length === 0
        ? "not known"
        : e.anchors.map((c) =>
            el(
              "div",
              { class: `anchor-claim anchor-claim--${c.status}`, "data-anchor": c.status },
              el("span", { class: "badge" }, ANCHOR_WORDS[c.status]),
              ` epoch ${c.anchor.epoch} on chain ${c.anchor.chainId}, registry ` +
                `${c.anchor.registry}, block ${c.anchor.blockNumber}, tx ${c.anchor.txHash}: ` +
                c.detail,
            ),
          ),
    ),
    el("td", {}, e.sources.join(", ")),
  );
}

function renderRelation(r: TimelineRelation, t: Timeline): HTMLElement {
  const from = t.entries[r.from];
  const to = t.entries[r.to];
  return el(
    "li",
    {
      class: `relation relation--${r.kind}`,
      "data-kind": r.kind,
      "data-from-size": from.size,
      "data-to-size": to.size,
      "data-from-root": from.rootHash,
      "data-to-root": to.rootHash,
    },
    el("span", { class: "badge" }, KIND_WORDS[r.kind]),
    ` #${r.from + 1} (size ${from.size}) → #${r.to + 1} (size ${to.size}): `,
    el("span", { class: "relation__detail" }, r.code ? `${r.code}: ${r.detail}` : r.detail),
  );
}
