import { describeCosts } from './costs-suite.js';

describeCosts('postgres');
