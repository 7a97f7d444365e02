import { PageHeader } from '../components/layout.js';

// Placeholder until the page is built.
export function ErrorsPage() {
  return <PageHeader title="Errors" />;
}
