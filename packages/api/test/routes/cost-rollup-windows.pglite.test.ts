import { describeCostRollupWindows } from './cost-rollup-windows-suite.js';

describeCostRollupWindows('pglite');
