import { describeLlmAnalysis } from './llm-analysis-suite.js';

describeLlmAnalysis('postgres');
