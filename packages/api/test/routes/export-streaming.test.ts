import { describeExportStreaming } from './export-streaming-suite.js';

describeExportStreaming('postgres');
