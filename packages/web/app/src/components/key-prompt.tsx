// Asks for the API key once, when the API first answers 401; the key stays with the tab.
import { useEffect, useState } from 'preact/hooks';
import { isKeyNeeded, provideKey, subscribeToKeyNeed } from '../api/access-key.js';

export function KeyPrompt() {
  const [isShown, setShown] = useState(isKeyNeeded());
  const [key, setKey] = useState('');
  useEffect(() => subscribeToKeyNeed(() => setShown(isKeyNeeded())), []);
  if (!isShown) return null;
  const submit = (event: Event): void => {
    event.preventDefault();
    if (key.trim() === '') return;
    provideKey(key.trim());
    setKey('');
  };
  return (
    <div class="modal-backdrop">
      <div class="modal" role="dialog" aria-modal="true" aria-labelledby="key-prompt-title">
        <form onSubmit={submit}>
        <h2 id="key-prompt-title">This convotel needs an API key</h2>
        <p>
          Paste a key from <code>CONVOTEL_API_KEYS</code>. It is kept for this tab only and sent as <code>Authorization: Bearer</code>.
        </p>
        <input type="password" name="api-key" aria-label="API key" autoFocus value={key} onInput={(event) => setKey(event.currentTarget.value)} />
        <button type="submit">Use this key</button>
        </form>
      </div>
    </div>
  );
}
