import { describeLlmRollupWindows } from './llm-rollup-windows-suite.js';

describeLlmRollupWindows('postgres');
