import type net from "node:net";
import { openMany, sendRaw } from "./raw-socket.js";

export interface AttackSize {
  /** Connections dribbling a request body, one byte every 500 ms. */
  slowBodies: number;
  /** Connections dribbling request headers, never finishing them. */
  slowHeaders: number;
  /** Connections that connect and send nothing. */
  idleConnections: number;
  /** Requests with a 5 MB body, at once. */
  oversized: number;
  /** Streams whose clients leave after the first event. */
  leavingStreams: number;
}

export const BOUNDED_ATTACKS: AttackSize = { slowBodies: 150, slowHeaders: 150, idleConnections: 2_000, oversized: 40, leavingStreams: 60 };
export const SOAK_ATTACKS: AttackSize = { slowBodies: 1_000, slowHeaders: 1_000, idleConnections: 10_000, oversized: 200, leavingStreams: 400 };

/** An attack under way: it lasts until stopped, and says what the attacker saw. */
export interface Running {
  observed: string;
  /** What the attacker saw that the server should not have done. */
  problems?: string[];
  /** One line per probe, when the attack is many different ones. */
  details?: string[];
  stop(): Promise<void>;
}

export interface Attack {
  name: string;
  start(port: number, size: AttackSize): Promise<Running>;
}

const KEY = "nk_attacker";
const EXECUTE = "/api/v1/seq/examples/demo/hello/execute";
const STEP = "/api/v1/seq/examples/demo/slow/step";

const closeAll = async (sockets: net.Socket[]): Promise<void> => {
  for (const socket of sockets) socket.destroy();
};

/** Counts of each answer, as "HTTP/1.1 413 Payload Too Large ×40". */
function tally(answers: string[]): string {
  const counts = new Map<string, number>();
  for (const answer of answers) counts.set(answer, (counts.get(answer) ?? 0) + 1);
  return [...counts].map(([answer, count]) => `${answer} ×${count}`).join("; ");
}

const dribble = (sockets: net.Socket[], bytes: string): NodeJS.Timeout => setInterval(() => sockets.forEach((s) => s.write(bytes)), 500);

export const ATTACKS: Attack[] = [
  {
    name: `slow-loris bodies`,
    async start(port, size) {
      const sockets = await openMany(port, size.slowBodies);
      for (const socket of sockets) {
        socket.write(`POST ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"message":"`);
      }
      const timer = dribble(sockets, "x");
      return { observed: `${sockets.length} connections sending a 100 KB body one byte every 500 ms`, stop: async () => (clearInterval(timer), closeAll(sockets)) };
    },
  },
  {
    name: "slow-loris headers",
    async start(port, size) {
      const sockets = await openMany(port, size.slowHeaders);
      for (const socket of sockets) socket.write(`GET /api/v1/seq/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\n`);
      const timer = dribble(sockets, "X-Slow: y\r\n");
      return { observed: `${sockets.length} connections sending a header line every 500 ms, never ending the head`, stop: async () => (clearInterval(timer), closeAll(sockets)) };
    },
  },
  {
    name: "thousands of idle connections",
    async start(port, size) {
      const sockets = await openMany(port, size.idleConnections);
      return { observed: `${sockets.length} connections open, sending nothing`, stop: () => closeAll(sockets) };
    },
  },
  {
    name: "oversized requests",
    async start(port, size) {
      const body = `{"message":"${"z".repeat(5 * 1024 * 1024)}"}`;
      const head = (extra: string) => `POST ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\n${extra}\r\n`;
      const answers = await Promise.all([
        ...Array.from({ length: size.oversized }, () => sendRaw(port, head(`Content-Length: ${body.length}\r\n`) + body, 10_000)),
        ...Array.from({ length: Math.ceil(size.oversized / 4) }, () => sendRaw(port, head("Transfer-Encoding: chunked\r\n") + `${body.length.toString(16)}\r\n${body}\r\n0\r\n\r\n`, 10_000)),
        sendRaw(port, `GET /api/v1/${"u".repeat(100_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
        sendRaw(port, `GET /api/v1/seq/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${"h".repeat(100_000)}\r\n\r\n`),
      ]);
      return { observed: tally(answers), stop: async () => undefined };
    },
  },
  {
    name: "malformed requests",
    async start(port) {
      const valid = (body: string, extra = "") =>
        `POST ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const refused = /^HTTP\/1\.1 4\d\d /;
      const cases: [string, string | Buffer, RegExp][] = [
        ["bytes that are not HTTP", "\u0000\u0001\u0002GARBAGE\r\n\r\n", refused],
        ["a TLS ClientHello", Buffer.from("160301020001000200030304", "hex"), refused],
        ["an HTTP/2 preface", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", refused],
        ["a header line without a colon", `GET /api/v1/seq/sessions/x HTTP/1.1\r\nHost: 127.0.0.1\r\nno colon here\r\n\r\n`, refused],
        ["a NUL in the path", `GET /api/v1/seq/\u0000/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, refused],
        ["a negative Content-Length", `POST ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: -5\r\n\r\n`, refused],
        ["Content-Length and chunked together", `POST ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, refused],
        ["an unknown method", `BREW ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`, refused],
        ["a body that is not JSON", valid("{not json"), refused],
        ["a body that is not UTF-8", Buffer.concat([Buffer.from(valid("\u00ff\u00fe").slice(0, -4)), Buffer.from([0xff, 0xfe, 0xfd, 0xfc])]), refused],
        ["a JSON body of the wrong shape", valid('{"message":{"nested":true},"parameters":[1,2]}'), refused],
        ["a JSON body nested 100,000 deep", valid(`{"message":"x","parameters":{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`), refused],
        ["the same, with an Idempotency-Key", valid(`{"message":"x","parameters":{"a":${"[".repeat(100_000)}${"]".repeat(100_000)}}}`, "Idempotency-Key: deep-1\r\n"), refused],
        // HTTP has the server wait for the rest of the body (until its request timeout): no answer is right.
        ["a body shorter than its Content-Length", `POST ${EXECUTE} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nContent-Length: 1000\r\n\r\n{"message":`, /^no answer/],
      ];
      const answers = await Promise.all(
        cases.map(async ([what, bytes, expected]) => {
          const answer = await sendRaw(port, bytes, 2_000);
          return { line: `${what}: ${answer}`, wrong: expected.test(answer) ? undefined : `${what}: ${answer}` };
        }),
      );
      const wrong = answers.flatMap((answer) => (answer.wrong === undefined ? [] : [answer.wrong]));
      return {
        observed: `${cases.length} kinds of malformed request, ${cases.length - wrong.length} answered as expected (see below)`,
        details: answers.map((answer) => answer.line),
        problems: wrong.map((w) => `a malformed request was not refused with a 4xx: ${w}`),
        stop: async () => undefined,
      };
    },
  },
  {
    name: "clients that leave mid-stream",
    async start(port, size) {
      const sockets = await openMany(port, size.leavingStreams);
      const body = JSON.stringify({ message: "leave", runRemaining: true });
      const firstEvents = sockets.map(
        (socket) =>
          new Promise<void>((resolve) => {
            socket.on("data", (chunk: Buffer) => {
              if (chunk.toString("latin1").includes("event:")) resolve();
            });
            socket.on("close", () => resolve());
            socket.write(`POST ${STEP} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          }),
      );
      await Promise.all(firstEvents);
      // Every stream is open and running its first step: now every client goes away.
      await closeAll(sockets);
      return { observed: `${sockets.length} streams left after their first event`, stop: async () => undefined };
    },
  },
];

