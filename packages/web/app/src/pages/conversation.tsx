import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function ConversationPage() {
  return <PageHeader title="Conversation" />;
}
