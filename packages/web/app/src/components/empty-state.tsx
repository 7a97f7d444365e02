// What to do when there is nothing to show yet: point an app's SDK here, or run the demo.
export function EmptyState({ what }: { what: string }) {
  const otlp = `${location.protocol}//${location.hostname}:4318`;
  return (
    <div class="empty-state">
      <h2>No {what} in this window yet</h2>
      <p>Send some traffic here, then reload:</p>
      <ul>
        <li>
          Run the demo voice agent: <code>npx convotel demo</code>
        </li>
        <li>
          Or instrument your app in one line: <code>OTEL_EXPORTER_OTLP_ENDPOINT={otlp} node --import @convotel/instrumentation/register app.js</code>
        </li>
        <li>Or widen the window above.</li>
      </ul>
    </div>
  );
}
