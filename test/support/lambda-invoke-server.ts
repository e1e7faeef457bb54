/**
 * A local node:http server on 127.0.0.1 that speaks the Lambda Invoke API (POST
 * /2015-03-31/functions/<name>/invocations, RequestResponse) and runs a real handler in this process: how the
 * analytics function's tests reach the Preprocessor function through @aws-sdk/client-lambda.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaClient } from '@aws-sdk/client-lambda';

export interface LambdaInvokeServer {
  readonly client: LambdaClient;
  /** Function names and payload sizes of the invocations received. */
  readonly invocations: { functionName: string; bytes: number }[];
  /** While set, invocations answer as a function that threw (X-Amz-Function-Error: Unhandled). */
  failing: boolean;
  stop(): Promise<void>;
}

export async function startLambdaInvokeServer(functions: Record<string, (event: unknown) => Promise<unknown>>): Promise<LambdaInvokeServer> {
  const state: { failing: boolean } = { failing: false };
  const invocations: { functionName: string; bytes: number }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/2015-03-31\/functions\/([^/]+)\/invocations/.exec(req.url ?? '');
      const name = match ? decodeURIComponent(match[1]) : '';
      const fn = functions[name];
      if (req.method !== 'POST' || !fn) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' }).end(JSON.stringify({ Type: 'User', message: `Function not found: ${name}` }));
        return;
      }
      const body = Buffer.concat(chunks);
      invocations.push({ functionName: name, bytes: body.length });
      const answer = (payload: unknown, functionError?: string) => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', ...(functionError ? { 'x-amz-function-error': functionError } : {}) }).end(JSON.stringify(payload));
      };
      if (state.failing) {
        answer({ errorType: 'Error', errorMessage: 'simulated failure of the preprocessor' }, 'Unhandled');
        return;
      }
      fn(JSON.parse(body.toString('utf8'))).then((out) => answer(out), (e: Error) => answer({ errorType: e.name, errorMessage: e.message }, 'Unhandled'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new LambdaClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'k', secretAccessKey: 's' }, maxAttempts: 1 });
  return {
    client,
    invocations,
    get failing() { return state.failing; },
    set failing(v: boolean) { state.failing = v; },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
