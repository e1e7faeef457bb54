/**
 * De-aggregation through the Preprocessor function, as the seed wired it: the records go to the function in a
 * KDA input-preprocessing event and come back one answer per record (Ok / Dropped / ProcessingFailed).
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { ExecutionError } from '../../errors.js';
import type { KdaPreprocessingEvent, KdaPreprocessingResponse } from '../preprocess-kda-event.js';

/** Sends one KDA preprocessing event and returns the answer. Throws when no valid answer came back. */
export interface PreprocessorInvoker {
  invoke(event: KdaPreprocessingEvent): Promise<KdaPreprocessingResponse>;
}

/** A synchronous invocation's request is limited to 6 MB; requests are cut below this. */
export const PREPROCESSOR_REQUEST_BYTES = 5 * 1024 * 1024;

/**
 * Invokes the Preprocessor Lambda function (RequestResponse) with @aws-sdk/client-lambda.
 *
 * @example
 * const pre = new LambdaPreprocessorInvoker(new LambdaClient({}), process.env.PREPROCESSOR_FUNCTION_NAME!);
 * const { records } = await pre.invoke(event);
 */
export class LambdaPreprocessorInvoker implements PreprocessorInvoker {
  constructor(private readonly client: LambdaClient, readonly functionName: string) {}

  async invoke(event: KdaPreprocessingEvent): Promise<KdaPreprocessingResponse> {
    const out = await this.client.send(new InvokeCommand({ FunctionName: this.functionName, Payload: Buffer.from(JSON.stringify(event)) }));
    const text = out.Payload ? Buffer.from(out.Payload).toString('utf8') : '';
    if (out.FunctionError) throw new ExecutionError('PREPROCESSOR_FAILED', `${this.functionName} failed (${out.FunctionError}): ${text.slice(0, 500)}`);
    let response: KdaPreprocessingResponse;
    try {
      response = JSON.parse(text) as KdaPreprocessingResponse;
    } catch (error) {
      throw new ExecutionError('PREPROCESSOR_FAILED', `${this.functionName} answered with something that is not JSON: ${text.slice(0, 200)}`, { cause: error });
    }
    checkResponse(this.functionName, event, response);
    return response;
  }
}

/** The contract: exactly one answer per record, same recordIds, a known result and base64 data. */
export function checkResponse(functionName: string, event: KdaPreprocessingEvent, response: KdaPreprocessingResponse): void {
  const records = (response as Partial<KdaPreprocessingResponse> | null)?.records;
  if (!Array.isArray(records) || records.length !== event.records.length) {
    throw new ExecutionError('PREPROCESSOR_FAILED', `${functionName} answered ${Array.isArray(records) ? records.length : 'no'} records for ${event.records.length}`);
  }
  const asked = new Set(event.records.map((r) => r.recordId));
  for (const r of records) {
    if (!asked.delete(r?.recordId) || !['Ok', 'Dropped', 'ProcessingFailed'].includes(r.result) || typeof r.data !== 'string') {
      throw new ExecutionError('PREPROCESSOR_FAILED', `${functionName} answered an unexpected record: ${JSON.stringify(r).slice(0, 200)}`);
    }
  }
}
