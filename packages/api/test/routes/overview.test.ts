import { describeOverview } from './overview-suite.js';

describeOverview('postgres');
