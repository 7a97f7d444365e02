import { describeVoice } from './voice-suite.js';

describeVoice('postgres');
