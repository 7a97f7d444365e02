import { describeStepStats } from './step-stats-suite.js';

describeStepStats('postgres');
