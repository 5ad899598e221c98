import { FlowValidationError, loadFlowsFromDir, type FlowDefinition } from "../server/index.js";

export interface FlowReload {
  /** The flows now served, or the problems that kept the last good ones. */
  readonly outcome: { flows: FlowDefinition[] } | { problems: string };
}

/**
 * Watches a `--flows` folder and reloads it whole when a `.json` file is
 * added, changed or removed, a moment after the last change (an editor's
 * save is often a write, a rename and a delete). chokidar, not fs.watch:
 * fs.watch misses an editor's atomic save (a rename over the file) on some
 * systems and reports each change twice on others. Loading is the server's
 * own loader, so a reload refuses exactly what a start would. chokidar is
 * loaded here, so that no other command pays for it.
 */
export async function watchFlows(dir: string, onReload: (reload: FlowReload) => void, options: { debounceMs?: number } = {}): Promise<{ close(): Promise<void> }> {
  const { watch } = await import("chokidar");
  const watcher = watch(dir, { ignoreInitial: true, depth: 0 });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let loading = Promise.resolve();
  const reload = async () => {
    try {
      onReload({ outcome: { flows: await loadFlowsFromDir(dir) } });
    } catch (error) {
      // Whatever went wrong (a bad file, a folder gone), the server keeps what it serves and says why.
      onReload({ outcome: { problems: error instanceof FlowValidationError ? error.message : String(error) } });
    }
  };
  watcher.on("all", (_event, path) => {
    if (!path.endsWith(".json")) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      // One reload at a time, in the order the changes came.
      loading = loading.then(reload, reload);
    }, options.debounceMs ?? 100);
  });
  // Ready once the folder has been read: a change made after "listening" is printed is never missed.
  await new Promise<void>((resolve) => watcher.once("ready", () => resolve()));
  return {
    async close() {
      clearTimeout(timer);
      await watcher.close();
      await loading.catch(() => undefined);
    },
  };
}
