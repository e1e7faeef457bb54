export { registerTranslateCommand, translateCommand, translateDefinition, runOnFlink, applicationProperties } from './translate-command.js';
export { ensureFlinkJar, FlinkServer, runFlinkScript } from './flink-job.js';
