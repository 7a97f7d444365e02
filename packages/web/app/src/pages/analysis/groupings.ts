// The keys the LLM analysis and the costs group by (the API's group_by / by): one list for both pages.
import type { GroupByChoice } from '../../components/group-by-chips.js';

export type Grouping = 'model' | 'provider' | 'call_type' | 'function' | 'user' | 'session' | 'agent';

export const GROUPING_CHOICES: readonly GroupByChoice<Grouping>[] = [
  { value: 'model', label: 'Model' },
  { value: 'provider', label: 'Provider' },
  { value: 'call_type', label: 'Call type' },
  { value: 'function', label: 'Function' },
  { value: 'user', label: 'User' },
  { value: 'session', label: 'Session' },
  { value: 'agent', label: 'Agent' },
];
