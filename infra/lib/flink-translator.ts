/**
 * The KDA SQL -> Flink SQL translation for the MSF deployment: the application is bound and planned by the
 * engine (as `streaming-analytics translate` does), then src/translate writes the script with a Kinesis source
 * over the input stream, a lookup table per reference table (its S3 object) and a Firehose sink per output stream
 * (JSON rows, the stream's columns).
 */
import { compileApplication } from '../../src/engine/index.js';
import { createInputDecoder } from '../../src/input/index.js';
import { translateApplication } from '../../src/translate/index.js';
import type { FlinkTranslator } from './flink-app-stack.js';

export const translateForMsf: FlinkTranslator = (application, target) => {
  const input = { ...application.input, columns: application.input.columns.map((c) => ({ ...c })) };
  const decoder = createInputDecoder(input);
  // Reference tables with their schema: the job reads each S3 object once at start (the role may read it:
  // flink-app-stack.ts, ReadReferenceData). A table without a schema is not known to the SQL.
  const references = (application.references ?? []).flatMap((r) => (r.schema ? [{ tableName: r.tableName, location: r.location, format: { ...r.schema, columns: r.schema.columns.map((c) => ({ ...c })) } }] : []));
  const compiled = compileApplication({
    sql: application.sql,
    inputs: [{ name: `${input.namePrefix ?? 'SOURCE_SQL_STREAM'}_001`, columns: decoder.columns.map((c) => ({ name: c.name, type: c.type })) }],
    references: references.map((r) => ({ name: r.tableName, columns: createInputDecoder(r.format).columns.map((c) => ({ name: c.name, type: c.type })), rows: [] })),
  });
  const translation = translateApplication({
    plan: compiled.plan,
    input,
    // The connector de-aggregates KPL records itself (flink/README.md), aggregated or not.
    source: { kind: 'kinesis', streamName: target.inputStreamName, region: target.region, startingPosition: target.startingPosition },
    references,
    sinks: Object.entries(target.outputDeliveryStreams).map(([stream, deliveryStream]) => ({
      stream,
      format: 'JSON' as const,
      target: { kind: 'firehose' as const, deliveryStream, region: target.region },
    })),
  });
  return translation.script;
};
