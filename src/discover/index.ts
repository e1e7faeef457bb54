export { discoverInputSchema, type DiscoverOptions, type Discovery, type UnfitRecord } from './infer-input-schema.js';
export { sampleRecords, type RecordSample, type SampleOptions, type SampleSource } from './sample-records.js';
export { previewRows, formatTable, type Preview } from './preview-rows.js';
export { inputBlock, inputBlockYaml, passThroughSql, writeApplicationFolder, type InputBlockOptions } from './render-definition.js';
