import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function ConversationsPage() {
  return <PageHeader title="Conversations" />;
}
