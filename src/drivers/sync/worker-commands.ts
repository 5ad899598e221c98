/**
 * What the I/O worker does with each command of the blocking client: one
 * Node transport per client, and the response bodies they
 * have open. Kept apart from the thread wiring (./worker-entry.ts), so the
 * same logic can be hosted differently (the bridge benchmark hosts it in
 * synckit).
 */
import { Cancellation } from "../cancellation.js";
import { CLIENT_CLOSED } from "../../core/client-errors.js";
import { FetchTransport } from "../transport/fetch-transport.js";
import { importFetch } from "../transport/fetch-module.js";
import { NodeTransport } from "../transport/node-transport.js";
import type { Transport } from "../transport/transport.js";
import type { Command, ReplyValue } from "./protocol.js";
import { ReadAhead } from "./read-ahead.js";

/**
 * How much of an event stream the worker reads ahead while the caller's
 * thread works. Each hand-over costs the same round trip whatever its size;
 * at 16 KiB per trip, a fast stream spent most of its time in them.
 */
const READ_AHEAD_BYTES = 256 * 1024;

interface ClientTransport {
  transport: Transport;
  /** Aborted when the client closes: ends whatever it still has in flight. */
  closing: Cancellation;
}

const transports = new Map<number, ClientTransport>();
const bodies = new Map<number, ReadAhead>();
let nextBody = 1;

/** Carries out one command; its value (or failure) is the answer. */
export async function handle(command: Command): Promise<ReplyValue> {
  switch (command.type) {
    case "register": {
      // Without a fetchModule the transport is in place before this returns,
      // so a call the caller sent right behind it finds it.
      const baseUrl = new URL(command.baseUrl);
      const transport =
        command.fetchModule === undefined ? new NodeTransport(baseUrl, command.maxConnections) : new FetchTransport(baseUrl, await importFetch(command.fetchModule));
      transports.set(command.transport, { transport, closing: new Cancellation() });
      return undefined;
    }
    case "unregister": {
      const client = transports.get(command.transport);
      transports.delete(command.transport);
      client?.closing.cancel(CLIENT_CLOSED);
      client?.transport.close();
      return undefined;
    }
    case "fetch": {
      const { transport, closing } = clientOf(command.transport);
      const { request, timeoutMs, maxBodyBytes, maxErrorBytes } = command;
      return transport.fetch(request, { timeoutMs, maxBodyBytes, maxErrorBytes, cancel: closing });
    }
    case "open": {
      const { transport, closing } = clientOf(command.transport);
      const head = await transport.open(command.request, { timeoutMs: command.timeoutMs, cancel: closing });
      const id = nextBody++;
      bodies.set(id, new ReadAhead(head.body, command.request, READ_AHEAD_BYTES));
      return { status: head.status, headers: head.headers, body: id };
    }
    case "read":
      // A fresh buffer of its own: transferred to the caller, not cloned.
      return bodyOf(command.body).read(command.timeoutMs);
    case "readText": {
      const body = bodyOf(command.body);
      bodies.delete(command.body);
      return body.readText(command.maxBytes, command.timeoutMs);
    }
    case "discard": {
      bodies.get(command.body)?.discard();
      bodies.delete(command.body);
      return undefined;
    }
  }
}

function clientOf(id: number): ClientTransport {
  const client = transports.get(id);
  if (client === undefined) throw new Error("this client was closed");
  return client;
}

function bodyOf(id: number): ReadAhead {
  const body = bodies.get(id);
  if (body === undefined) throw new Error("the response body is no longer open");
  return body;
}
