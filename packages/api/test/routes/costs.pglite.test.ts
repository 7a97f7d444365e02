import { describeCosts } from './costs-suite.js';

describeCosts('pglite');
