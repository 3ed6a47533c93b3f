/**
 * The "tenant timeline" panel: gathers checkpoints (pasted by the officer, or fetched from the
 * log now and then by polling), checks them with ../checks/check-timeline over the log's
 * tiles, and shows the timeline. Fetched checkpoints live only in this page's memory.
 */
import { chainReader, type ChainRead } from "../checks/anchor-links";
import { checkTimeline, type Timeline } from "../checks/check-timeline";
import { messageOf, WebError } from "../errors";
import { splitCheckpoints, type PastedCheckpoint } from "../input/split-notes";
import { HttpLog } from "../net/http-log";
import { tileSubtreeSource } from "../net/tile-source";
import { byId } from "./dom";
import { renderTimeline } from "./render-timeline";
import { readTrust } from "./trust-inputs";

/** The shortest polling interval the page accepts, in seconds. */
export const MIN_POLL_SECONDS = 5;

/** Wires the panel's form and its fetch and polling buttons. */
export function wireTimelinePanel(): void {
  const status = byId<HTMLElement>("timeline-status");
  const result = byId<HTMLElement>("timeline-result");
  const collectedNote = byId<HTMLElement>("collected");
  const pollButton = byId<HTMLButtonElement>("poll-toggle");
  const collected: PastedCheckpoint[] = [];
  let timer: ReturnType<typeof setInterval> | undefined;

  const log = (): HttpLog | undefined => {
    const url = byId<HTMLInputElement>("log-url").value.trim();
    if (url === "") return undefined;
    return new HttpLog({ baseUrl: url, readKey: byId<HTMLInputElement>("read-key").value });
  };

  const run = async () => {
    status.classList.remove("sr-only");
    status.textContent = "Checking the timeline…";

    let pasted: PastedCheckpoint[];
    let reader: HttpLog | undefined;
    try {
      pasted = splitCheckpoints(byId<HTMLTextAreaElement>("checkpoints").value);
      reader = log();
    } catch (err) {
      status.textContent = `Not checked: ${messageOf(err)}`;
      return;
    }
    const trust = readTrust();
    const read: ChainRead = { rpcUrl: trust.rpcUrl, noEndpoint: false };
    const chain = trust.rpcUrl === undefined ? undefined : chainReader(trust.rpcUrl, read);
    let timeline: Timeline;
    try {
      timeline = await checkTimeline([...pasted, ...collected], {
        trustedKeys: trust.verifierKeys,
        sourceFor: reader ? (size) => tileSubtreeSource(reader, size) : undefined,
        readEpochRoot: chain?.readEpochRoot,
      });
    } finally {
      chain?.release();
    }

    result.replaceChildren(renderTimeline(timeline));
    const heading = result.querySelector("h3");
    status.textContent = heading?.textContent ?? "";
    status.classList.add("sr-only");
  };

  const fetchLatest = async () => {
    let note: string;
    try {
      const reader = log();
      if (reader === undefined) {
        throw new WebError("WEB_BAD_INPUT", { what: "log URL", reason: "enter it first" });
      }
      note = await reader.checkpoint();
    } catch (err) {
      status.classList.remove("sr-only");
      status.textContent = `Could not fetch the latest checkpoint: ${messageOf(err)}`;
      return;
    }

    if (!collected.some((c) => c.note === note)) {
      collected.push({ note, source: `fetched ${new Date().toLocaleTimeString()}` });
    }
    collectedNote.textContent = `Collected from the log: ${collected.length} checkpoint(s).`;
    await run();
  };

  const stopPolling = () => {
    clearInterval(timer);
    timer = undefined;
    pollButton.setAttribute("aria-pressed", "false");
    pollButton.textContent = "Start polling";
  };

  byId<HTMLFormElement>("timeline-form").addEventListener("submit", (event) => {
    event.preventDefault();
    void run();
  });
  byId("fetch-latest").addEventListener("click", () => void fetchLatest());
  pollButton.addEventListener("click", () => {
    if (timer !== undefined) return stopPolling();
    const asked = Number(byId<HTMLInputElement>("poll-seconds").value);
    const seconds = Number.isFinite(asked) ? Math.max(MIN_POLL_SECONDS, asked) : 60;
    timer = setInterval(() => void fetchLatest(), seconds * 1000);
    pollButton.setAttribute("aria-pressed", "true");
    pollButton.textContent = "Stop polling";
    void fetchLatest();
  });
}
