import { describeOverview } from './overview-suite.js';

describeOverview('pglite');
