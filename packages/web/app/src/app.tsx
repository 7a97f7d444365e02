// Routes: each page has a stable URL (window and filters in its query string) so a link can be
// pasted into an incident channel. Pages load on demand; the first paint needs only the frame.
import { ErrorBoundary, LocationProvider, Route, Router, lazy } from 'preact-iso';
import { KeyPrompt } from './components/key-prompt.js';
import { Layout } from './components/layout.js';

const Overview = lazy(() => import('./pages/overview.js').then((module) => module.OverviewPage));
const Conversations = lazy(() => import('./pages/conversations.js').then((module) => module.ConversationsPage));
const Conversation = lazy(() => import('./pages/conversation.js').then((module) => module.ConversationPage));
const Trace = lazy(() => import('./pages/trace.js').then((module) => module.TracePage));
const Live = lazy(() => import('./pages/live.js').then((module) => module.LivePage));
const Steps = lazy(() => import('./pages/steps.js').then((module) => module.StepsPage));
const Llm = lazy(() => import('./pages/llm.js').then((module) => module.LlmPage));
const Costs = lazy(() => import('./pages/costs.js').then((module) => module.CostsPage));
const Errors = lazy(() => import('./pages/errors.js').then((module) => module.ErrorsPage));
const Compare = lazy(() => import('./pages/compare.js').then((module) => module.ComparePage));
const NotFound = lazy(() => import('./pages/not-found.js').then((module) => module.NotFoundPage));

export function App() {
  return (
    <LocationProvider>
      <Layout>
        <ErrorBoundary>
          <Router>
            <Route path="/" component={Overview} />
            <Route path="/conversations" component={Conversations} />
            <Route path="/conversations/:conversation_id" component={Conversation} />
            <Route path="/traces/:trace_id" component={Trace} />
            <Route path="/live" component={Live} />
            <Route path="/steps" component={Steps} />
            <Route path="/llm" component={Llm} />
            <Route path="/costs" component={Costs} />
            <Route path="/errors" component={Errors} />
            <Route path="/compare" component={Compare} />
            <Route default component={NotFound} />
          </Router>
        </ErrorBoundary>
      </Layout>
      <KeyPrompt />
    </LocationProvider>
  );
}
