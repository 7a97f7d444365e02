// The head of a conversation: who, which agent and channel, how it ended, how long it took, what it
// cost (split by LLM, STT, TTS, and telephony for a phone call: then the cost is the whole call's)
// and its metadata.
import type { ConversationDetailAnswer } from '@convotel/api';
import { Figure } from '../../components/figure.js';
import { formatCount, formatMillis, formatRatio, formatText, formatTime, formatUsd } from '../../format/units.js';

type ConversationFields = ConversationDetailAnswer['conversation'];

export function metadataEntries(metadata: unknown): Array<[string, string]> {
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) return [];
  return Object.entries(metadata as Record<string, unknown>).map(([key, value]) => [key, typeof value === 'string' ? value : JSON.stringify(value)]);
}

/** The cost and its split; with telephony, the whole call's cost (turns plus minutes). */
function CostFigure({ conversation }: { conversation: ConversationFields }) {
  const { telephony } = conversation;
  const parts: Array<[string, number | null]> = [
    ['LLM', conversation.llm_cost_usd],
    ['STT', conversation.stt_cost_usd],
    ['TTS', conversation.tts_cost_usd],
  ];
  if (telephony !== null) parts.push(['telephony', telephony.cost_usd]);
  if (conversation.other_cost_usd > 0) parts.push(['other', conversation.other_cost_usd]);
  const total = telephony === null ? conversation.cost_usd : (conversation.call_cost_usd ?? conversation.cost_usd);
  return (
    <Figure
      label={telephony === null ? 'Cost' : 'Call cost'}
      testId="conversation-cost"
      value={formatUsd(total)}
      note={
        <span data-testid="conversation-cost-split">
          {parts.map(([name, usd], index) => (
            <span key={name} data-part={name}>
              {index > 0 ? ' · ' : ''}
              {name} {formatUsd(usd)}
            </span>
          ))}
        </span>
      }
    />
  );
}

export function ConversationHeader({ conversation, listSearch }: { conversation: ConversationFields; listSearch: string }) {
  const metadata = metadataEntries(conversation.metadata);
  const listWith = (name: string, value: string | null): string | undefined => (value === null ? undefined : `/conversations${listSearch}&${name}=${encodeURIComponent(value)}`);
  return (
    <section class="panel conversation-head" data-testid="conversation-head">
      <dl class="facts">
        <div>
          <dt>User</dt>
          <dd>{conversation.user_id === null ? '—' : <a href={listWith('user', conversation.user_id)}>{conversation.user_id}</a>}</dd>
        </div>
        <div>
          <dt>Agent</dt>
          <dd>{conversation.agent_name === null ? '—' : <a href={listWith('agent', conversation.agent_name)}>{conversation.agent_name}</a>}</dd>
        </div>
        <div>
          <dt>Channel</dt>
          <dd>{formatText(conversation.channel)}</dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>
            <span class={`status-${conversation.status}`} data-testid="conversation-status">
              {conversation.status}
            </span>
            {conversation.end_reason !== null && <span class="muted"> ({conversation.end_reason})</span>}
          </dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{formatTime(conversation.started_at)}</dd>
        </div>
        <div>
          <dt>Service</dt>
          <dd>{formatText(conversation.service_name)}</dd>
        </div>
        {conversation.session_id !== null && (
          <div>
            <dt>Session</dt>
            <dd>{conversation.session_id}</dd>
          </div>
        )}
      </dl>
      <div class="figures">
        <Figure label="Duration" testId="conversation-duration" value={formatMillis(conversation.duration_ms)} />
        <Figure label="Turns" testId="conversation-turns" value={formatCount(conversation.turns)} note={`${formatCount(conversation.llm_calls)} LLM calls`} />
        <Figure label="Failed turns" testId="conversation-errors" value={formatCount(conversation.errors)} note={`${formatCount(conversation.llm_errors)} failed LLM calls`} />
        <CostFigure conversation={conversation} />
        {conversation.telephony !== null && (
          <Figure
            label="Telephony"
            testId="conversation-telephony-cost"
            value={formatUsd(conversation.telephony.cost_usd)}
            note={[conversation.telephony.provider, conversation.telephony.direction, conversation.telephony.minutes === null ? null : `${formatCount(conversation.telephony.minutes)} min`].filter((part) => part !== null).join(' · ')}
          />
        )}
        <Figure label="Tokens" value={`${formatCount(conversation.input_tokens)} → ${formatCount(conversation.output_tokens)}`} note={`${formatCount(conversation.cache_read_tokens)} cached`} />
        <Figure label="Success rate" value={formatRatio(conversation.success_rate)} />
      </div>
      {conversation.error_message !== null && (
        <div class="notice error" role="alert">
          <strong>{conversation.error_type ?? 'error'}</strong>: {conversation.error_message}
        </div>
      )}
      {metadata.length > 0 && (
        <div class="metadata" data-testid="conversation-metadata">
          {metadata.map(([key, value]) => (
            <a key={key} class="meta-chip" href={`/conversations${listSearch}&attr.${encodeURIComponent(key)}=${encodeURIComponent(value)}`} title="Conversations with this metadata">
              {key}={value}
            </a>
          ))}
        </div>
      )}
    </section>
  );
}
