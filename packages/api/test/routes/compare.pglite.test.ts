import { describeCompare } from './compare-suite.js';

describeCompare('pglite');
