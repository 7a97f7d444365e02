import { describeExport } from './export-suite.js';

describeExport('pglite');
