import { describeExportStreaming } from './export-streaming-suite.js';

describeExportStreaming('pglite');
