import { describeExport } from './export-suite.js';

describeExport('postgres');
