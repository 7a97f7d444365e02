import { describeLongWindowAnswers } from './long-window-answers-suite.js';

describeLongWindowAnswers('postgres');
