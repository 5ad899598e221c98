import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type Responder = (request: RecordedRequest, res: http.ServerResponse, index: number) => void;

/**
 * A small HTTP server of the tests' own that records every request and
 * answers with whatever the test scripts, including answers no real server
 * should give.
 */
export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private readonly server: http.Server;
  private responder: Responder = (_request, res) => res.writeHead(404).end();

  constructor() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request = { method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
        this.requests.push(request);
        this.responder(request, res, this.requests.length - 1);
      });
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api/v1`;
  }

  respond(responder: Responder): this {
    this.requests.length = 0;
    this.responder = responder;
    return this;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { "content-type": "application/json", "x-request-id": "req_recorded", ...headers });
  res.end(JSON.stringify(body));
}
