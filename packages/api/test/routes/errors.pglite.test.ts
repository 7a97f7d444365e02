import { describeErrors } from './errors-suite.js';

describeErrors('pglite');
