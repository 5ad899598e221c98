import { Worker } from "node:worker_threads";

/**
 * The limit: a minimal `node:http` server on its own thread (like the local
 * server), which reads the request and answers a fixed body. With `sse`, it
 * streams a fixed event-stream body in 64 KiB writes instead.
 */
export async function startReferenceServer(options: { json: string } | { sse: string }): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(
    `const { createServer } = require("node:http");
     const { parentPort, workerData } = require("node:worker_threads");
     const server = createServer({ keepAliveTimeout: 5000 }, (req, res) => {
       req.on("data", () => {});
       req.on("end", () => {
         if (workerData.json !== undefined) {
           res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(workerData.json) });
           res.end(workerData.json);
           return;
         }
         res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
         const body = workerData.sse;
         let offset = 0;
         const pump = () => {
           while (offset < body.length) {
             const chunk = body.slice(offset, offset + 65536);
             offset += 65536;
             if (!res.write(chunk)) return res.once("drain", pump);
           }
           res.end();
         };
         pump();
       });
     });
     server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
     parentPort.on("message", () => { server.closeAllConnections(); server.close(() => parentPort.close()); });`,
    { eval: true, workerData: options },
  );
  const port = await new Promise<number>((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      worker.postMessage("close");
      await new Promise((resolve) => worker.once("exit", resolve));
    },
  };
}
