import { describeErrors } from './errors-suite.js';

describeErrors('postgres');
