import { describeErrorSqlRollups } from './error-sql-rollups-suite.js';

describeErrorSqlRollups('postgres');
