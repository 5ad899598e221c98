import http from "node:http";
import { createParser } from "eventsource-parser";
import type { Contender } from "./contenders.js";
import { EXECUTE_HEADERS } from "./contenders.js";

/**
 * The bare parse (see `bareParse`) handed to its caller the way an SDK's
 * event stream is: through an async iterator read with `for await`. The
 * parse is the same; what it adds is the least any iterator API costs per
 * event (a promise, a result object and a turn of the microtask queue for
 * each). It shows how much of the bare parse's lead no client that returns
 * an async iterator can take back.
 */
export function bareIterator(port: number): Contender {
  const agent = new http.Agent({ keepAlive: true });
  const body = '{"message":"go","runRemaining":true}';
  const headers = { ...EXECUTE_HEADERS, accept: "text/event-stream", "content-length": String(body.length) };
  const iterate = (count: number): AsyncIterableIterator<unknown> => {
    const parsed: unknown[] = [];
    let head = 0;
    let ended = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const woken = (): void => {
      const resume = wake;
      wake = undefined;
      resume?.();
    };
    const parser = createParser({ onEvent: (event) => void parsed.push(JSON.parse(event.data)) });
    const req = http.request({ agent, host: "127.0.0.1", port, method: "POST", path: `/api/v1/seq/bench/fixed/events-${count}/step`, headers }, (res) => {
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        parser.feed(text);
        woken();
      });
      res.on("end", () => {
        ended = true;
        woken();
      });
      res.on("error", (error) => {
        failure = error;
        woken();
      });
    });
    req.on("error", (error) => {
      failure = error;
      woken();
    });
    req.end(body);
    const iterator: AsyncIterableIterator<unknown> = {
      [Symbol.asyncIterator]: () => iterator,
      next: (): Promise<IteratorResult<unknown>> => {
        if (head < parsed.length) {
          const value = parsed[head];
          parsed[head++] = undefined;
          if (head === parsed.length) parsed.length = head = 0;
          return Promise.resolve({ done: false, value });
        }
        if (failure !== undefined) return Promise.reject(failure);
        if (ended) return Promise.resolve({ done: true, value: undefined });
        return new Promise<void>((resume) => (wake = resume)).then(() => iterator.next());
      },
    };
    return iterator;
  };
  return {
    execute: () => Promise.reject(new Error("the bare iterator contender measures streams only")),
    stream: async (count) => {
      let events = 0;
      for await (const _event of iterate(count)) events++;
      return events;
    },
    close: async () => agent.destroy(),
  };
}
