/**
 * Drives the timeline panel of the verifier page and reads the timeline it shows.
 */
import type { Page } from "playwright-core";

/** A checkpoint row as the page shows it. */
export interface ShownCheckpoint {
  size: number;
  root: string;
  signed: boolean;
  tiles: string;
  /** The status of each anchor claimed for it: confirmed, refuted or claimed. */
  anchors: string[];
}

/** A relation between two checkpoints as the page shows it. */
export interface ShownRelation {
  fromSize: number;
  fromRoot: string;
  toSize: number;
  toRoot: string;
  kind: string;
}

/** The timeline as the page shows it. */
export interface ShownTimeline {
  forked: boolean;
  headline: string;
  checkpoints: ShownCheckpoint[];
  relations: ShownRelation[];
}

/** What the officer enters in the timeline panel. */
export interface TimelineInputs {
  keys: string[];
  /** The chain JSON-RPC URL, to check the anchors receipts claim. */
  rpcUrl?: string;
  logUrl?: string;
  readKey?: string;
  /** Signed notes (or receipt JSON) pasted into the panel. */
  pasted: string;
}

/** Fills the panel and presses `button` ("#timeline-check" or "#fetch-latest"). */
export async function runTimeline(
  page: Page,
  inputs: TimelineInputs,
  button: "#timeline-check" | "#fetch-latest",
): Promise<ShownTimeline> {
  await page.fill("#trusted-keys", inputs.keys.join("\n"));
  await page.fill("#rpc-url", inputs.rpcUrl ?? "");
  await page.fill("#log-url", inputs.logUrl ?? "");
  await page.fill("#read-key", inputs.readKey ?? "");
  await page.fill("#checkpoints", inputs.pasted);

  await page.$eval("#timeline-result", (node) => node.replaceChildren());
  await page.click(button);
  await page.waitForSelector("#timeline-result [data-forked]");

  return page.$eval("#timeline-result", (root) => {
    const article = root.querySelector<HTMLElement>("[data-forked]");
    const rows = Array.from(root.querySelectorAll<HTMLElement>("tbody tr"));
    const relations = Array.from(root.querySelectorAll<HTMLElement>("li.relation"));
    return {
      forked: article?.dataset.forked === "true",
      headline: root.querySelector("h3")?.textContent ?? "",
      checkpoints: rows.map((tr) => ({
        size: Number(tr.dataset.size),
        root: tr.dataset.root ?? "",
        signed: tr.dataset.signed === "true",
        tiles: tr.querySelector<HTMLElement>("[data-tiles]")?.dataset.tiles ?? "",
        anchors: Array.from(tr.querySelectorAll<HTMLElement>("[data-anchor]")).map(
          (a) => a.dataset.anchor ?? "",
        ),
      })),
      relations: relations.map((li) => ({
        fromSize: Number(li.dataset.fromSize),
        fromRoot: li.dataset.fromRoot ?? "",
        toSize: Number(li.dataset.toSize),
        toRoot: li.dataset.toRoot ?? "",
        kind: li.dataset.kind ?? "",
      })),
    };
  });
}
