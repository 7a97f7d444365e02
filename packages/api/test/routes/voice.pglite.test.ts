import { describeVoice } from './voice-suite.js';

describeVoice('pglite');
