/**
 * Lets a file be dropped on a zone or chosen with a file input, and hands its text to a
 * callback. Large files are refused: receipts and bundles are a few kilobytes.
 */

/** The largest file the page reads, in bytes. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Wires `zone` (drag and drop) and `input` (file picker) to `onText`, which receives the
 * file's text; `onError` receives a sentence when a file is refused or unreadable.
 */
export function wireFileDrop(
  zone: HTMLElement,
  input: HTMLInputElement,
  onText: (text: string, name: string) => void,
  onError: (message: string) => void,
): void {
  const read = async (file: File | undefined) => {
    if (file === undefined) return;
    if (file.size > MAX_FILE_BYTES) {
      onError(`${file.name} has ${file.size} bytes; the page reads files up to ${MAX_FILE_BYTES}.`);
      return;
    }
    try {
      onText(await file.text(), file.name);
    } catch {
      onError(`${file.name} could not be read.`);
    }
  };

  input.addEventListener("change", () => void read(input.files?.[0]));
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("drop-zone--over");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("drop-zone--over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("drop-zone--over");
    void read(event.dataTransfer?.files[0]);
  });
}
