import { describeConversations } from './conversations-suite.js';

describeConversations('postgres');
