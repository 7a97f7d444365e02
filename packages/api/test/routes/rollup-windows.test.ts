import { describeRollupWindows } from './rollup-windows-suite.js';

describeRollupWindows('postgres');
