import { setTimeout as sleep } from "node:timers/promises";
import type { ServerOptions, ServerStats } from "noukai/server";
import type { MemorySample } from "../fault/messages.js";
import { TsChild } from "./ts-child.js";

export type ToHost =
  /** `wrapped`: serve the app through a plain `{ fetch, close }` wrapper (listen's general binding). */
  | { type: "start"; options: ServerOptions; wrapped?: boolean }
  | { type: "stats" }
  /** Close the server this long from now (the caller may be blocked in a call by then). */
  | { type: "close"; afterMs: number }
  | { type: "exit" };

export type FromHost =
  | { type: "ready"; baseUrl: string; port: number }
  | { type: "stats"; stats: ServerStats; memory: MemorySample; peakRssMB: number; connections: number; warnings: string[] }
  | { type: "closed" };

export interface HostReading {
  stats: ServerStats;
  memory: MemorySample;
  /** The highest resident memory of the server's process since it started, in MB. */
  peakRssMB: number;
  /** Sockets the server holds open. */
  connections: number;
  /** Every process warning the server has emitted so far. */
  warnings: string[];
}

/** A local server in a child process of its own (see server-host.ts). */
export class HostedServer {
  private constructor(
    private readonly child: TsChild<ToHost, FromHost>,
    readonly baseUrl: string,
    readonly port: number,
  ) {}

  /**
   * `wrapped`: serve the app through a plain `{ fetch, close }` wrapper.
   * `heapLimitMB`: the process's V8 heap limit (`--max-old-space-size`), so that a server that kept more would die.
   */
  static async start(options: ServerOptions = {}, host: { wrapped?: boolean; heapLimitMB?: number } = {}): Promise<HostedServer> {
    const nodeOptions = host.heapLimitMB === undefined ? [] : [`--max-old-space-size=${host.heapLimitMB}`];
    const child = new TsChild<ToHost, FromHost>(new URL("./server-host.ts", import.meta.url), [], nodeOptions);
    child.send({ type: "start", options: { port: 0, ...options }, wrapped: host.wrapped === true });
    const ready = await child.next((m): m is Extract<FromHost, { type: "ready" }> => m.type === "ready", 20_000);
    return new HostedServer(child, ready.baseUrl, ready.port);
  }

  /** The server's counters, memory (after a collection), open sockets and warnings. */
  async read(): Promise<HostReading> {
    const answer = this.child.next((m): m is Extract<FromHost, { type: "stats" }> => m.type === "stats", 20_000);
    this.child.send({ type: "stats" });
    const { stats, memory, peakRssMB, connections, warnings } = await answer;
    return { stats, memory, peakRssMB, connections, warnings };
  }

  /** Asks the server to close `afterMs` from now; resolves when it has. */
  closeAfter(afterMs: number): Promise<void> {
    const closed = this.child.next((m): m is Extract<FromHost, { type: "closed" }> => m.type === "closed", afterMs + 20_000);
    this.child.send({ type: "close", afterMs });
    return closed.then(() => undefined);
  }

  /** Closes the server and ends its process. */
  async stop(): Promise<void> {
    try {
      this.child.send({ type: "exit" });
    } catch {
      // Already gone.
    }
    const exited = await Promise.race([this.child.exited, sleep(5_000, undefined, { ref: false })]);
    if (exited === undefined) this.child.kill();
  }
}
