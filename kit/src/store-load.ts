import { DurableJSONFile, StoreError } from './durable-json-file.js';
import { readJournal, snapshotHash } from './journal.js';
import { applyOps } from './journal-ops.js';
import { checkShape } from './store-shape.js';
import { Tracker } from './store-tracker.js';

const FIX = 'move the journal away to start from the data file as it is (its changes are then lost)';

/**
 * Reads the data file, fills top-level keys it lacks from `defaults` (so a service that gained a collection keeps
 * working), then replays the journal lines written after the data file was: the state as of the last acknowledged
 * write. Writes nothing.
 */
export async function loadStore(file: string, defaults: object, log: (line: string) => void) {
  const snapshot = new DurableJSONFile<Record<string, unknown>>(file);
  const bytes = await snapshot.readBytes();
  const found = bytes ? snapshot.parse(bytes.toString('utf8')) : null;
  if (found) checkShape(file, found, defaults);
  const raw: Record<string, unknown> = { ...structuredClone(defaults), ...found };
  const tracker = new Tracker(raw);
  const hash = bytes ? snapshotHash(bytes) : undefined;
  const journalFile = `${file}.journal`;
  const journal = await readJournal(journalFile, log);
  let since: string[] = [];
  let follows = false; // the journal goes on from this data file
  if (journal) {
    const { entries, lines } = journal;
    let start = -1; // the line saying which data file the lines after it follow
    for (let i = entries.length - 1; i >= 0 && start < 0; i--) {
      const entry = entries[i];
      if (entry && !Array.isArray(entry) && entry.snapshot === hash) start = i;
    }
    const after = entries.slice(start + 1);
    if (start < 0 && after.some((e) => Array.isArray(e) && e.length > 0)) {
      const state = bytes ? 'was replaced or edited after' : 'is missing since';
      throw new StoreError(
        `${journalFile} holds changes that do not follow ${file}: the data file ${state} the service last ran; ${FIX}`,
      );
    }
    after.forEach((entry, i) => {
      if (Array.isArray(entry)) {
        applyOps(raw, entry, tracker.ids);
        since.push(lines[start + 1 + i] as string);
      } else {
        // A later marker whose data file never reached the disk: the lines after it number records afresh, as
        // the store that wrote them did.
        tracker.reindex();
      }
    });
    follows = start >= 0;
    if (!follows) since = [];
  }
  return {
    raw,
    tracker,
    hash,
    /** The data file as read, or null when there is none. */
    bytes,
    snapshotBytes: bytes?.length ?? 0,
    /** Where the journal's good part ends, or undefined when it must be created afresh. */
    journalBytes: journal && follows ? journal.bytes : undefined,
    since,
  };
}

/**
 * The state a store would start from (its data file with the journal's newer lines replayed), the data file's text
 * that state was read from (undefined when there is no file), and how many journal lines that file does not hold
 * yet. For readers beside the service, such as the playground's data view; it takes no lock and writes nothing.
 * Throws StoreError as `openStore` would.
 */
export async function readStoreState(
  file: string,
): Promise<{ data: Record<string, unknown>; text: string | undefined; pending: number }> {
  const { raw, bytes, since } = await loadStore(file, {}, () => {});
  return { data: raw, text: bytes?.toString('utf8'), pending: since.length };
}
