import { describeSqlAnalysis } from './sql-analysis-suite.js';

describeSqlAnalysis('postgres');
