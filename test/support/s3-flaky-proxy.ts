/**
 * An HTTP server on 127.0.0.1 that fails the first requests on purpose (an HTTP status with an S3-style error
 * body, or a dropped connection), then forwards every later request unchanged to a real S3 endpoint (or, with
 * no target, answers 200 itself). For testing retries against a failing endpoint.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

export interface FlakyProxyOptions {
  /** Where requests go once the failures are used up, e.g. a radosgw endpoint. Default: answer 200 with no body. */
  target?: string;
  /** How many requests fail before forwarding starts. Infinity: all fail. */
  failFirst: number;
  /** `status`: answer with `status` (default 503 SlowDown); `reset`: destroy the connection without answering. */
  failure?: 'status' | 'reset';
  status?: number;
}

export interface FlakyProxy {
  readonly endpoint: string;
  /** Every request seen, in order, with what it got. */
  readonly requests: { method: string; url: string; outcome: number | 'reset' }[];
  close(): Promise<void>;
}

export async function startFlakyS3Proxy(options: FlakyProxyOptions): Promise<FlakyProxy> {
  const requests: FlakyProxy['requests'] = [];
  const status = options.status ?? 503;
  const target = options.target ? new URL(options.target) : undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const seen = requests.length;
    const entry: FlakyProxy['requests'][number] = { method: req.method ?? '', url: req.url ?? '', outcome: 0 };
    requests.push(entry);
    if (seen < options.failFirst) {
      req.resume();
      if (options.failure === 'reset') {
        entry.outcome = 'reset';
        req.socket.destroy();
        return;
      }
      entry.outcome = status;
      const code = status === 503 ? 'SlowDown' : status === 500 ? 'InternalError' : 'Error';
      res.writeHead(status, { 'content-type': 'application/xml' });
      res.end(`<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected failure ${seen + 1}</Message></Error>`);
      return;
    }
    if (!target) {
      req.resume();
      req.on('end', () => {
        entry.outcome = 200;
        res.writeHead(200, { 'content-length': '0' });
        res.end();
      });
      return;
    }
    // Headers go through unchanged (Host included): the request's SigV4 signature still verifies at the target.
    const upstream = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        entry.outcome = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
