import { describeRollupWindows } from './rollup-windows-suite.js';

describeRollupWindows('pglite');
