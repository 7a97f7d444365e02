// The pattern library against error texts as providers, SDKs, drivers and runtimes write them.
import { describe, expect, it } from 'vitest';
import { classifyError, ERROR_PATTERNS, httpStatusOf, type ErrorPattern } from '../../src/analysis/error-patterns.js';

/** [error type, message, pattern]. */
const CASES: ReadonlyArray<readonly [string | null, string | null, ErrorPattern]> = [
  // rate_limit
  ['RateLimitError', '429 Rate limit reached for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Used 29000', 'rate_limit'],
  ['Error', 'Rate limit exceeded (429)', 'rate_limit'],
  ['APIError', '429 You exceeded your current quota, please check your plan and billing details.', 'rate_limit'],
  [null, 'RESOURCE_EXHAUSTED: Resource has been exhausted (e.g. check quota).', 'rate_limit'],
  ['HTTPError', 'Too Many Requests', 'rate_limit'],
  ['Error', 'status code 429', 'rate_limit'],
  // timeout
  ['APIConnectionTimeoutError', 'Request timed out.', 'timeout'],
  ['Error', 'Request timed out', 'timeout'],
  ['TimeoutError', 'The operation was aborted due to timeout', 'timeout'],
  ['Error', 'connect ETIMEDOUT 10.0.0.1:443', 'timeout'],
  ['QueryCanceled', 'canceling statement due to statement timeout', 'timeout'],
  ['DeadlineExceeded', '4 DEADLINE_EXCEEDED: Deadline exceeded', 'timeout'],
  ['Error', '504 Gateway Timeout', 'timeout'],
  ['Error', 'HTTP 408', 'timeout'],
  // context_length
  ['BadRequestError', "400 This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.", 'context_length'],
  ['invalid_request_error', 'prompt is too long: 210000 tokens > 200000 maximum', 'context_length'],
  [null, 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).', 'context_length'],
  ['context_length_exceeded', null, 'context_length'],
  // auth
  ['AuthenticationError', '401 Incorrect API key provided: sk-abc***. You can find your API key at …', 'auth'],
  ['PermissionDeniedError', '403 Project does not have access to model gpt-4o', 'auth'],
  ['Error', 'Unauthorized', 'auth'],
  [null, 'invalid x-api-key', 'auth'],
  // content_filter
  ['BadRequestError', "400 The response was filtered due to the prompt triggering Azure OpenAI's content management policy.", 'content_filter'],
  ['ContentFilterFinishReasonError', 'Could not parse response content as the request was rejected by the content filter', 'content_filter'],
  [null, 'Response blocked by safety settings: HARM_CATEGORY_DANGEROUS_CONTENT', 'content_filter'],
  // network
  ['APIConnectionError', 'Connection error.', 'network'],
  ['Error', 'connect ECONNREFUSED 127.0.0.1:5432', 'network'],
  ['FetchError', 'request to https://api.openai.com/v1/chat/completions failed, reason: getaddrinfo ENOTFOUND api.openai.com', 'network'],
  ['TypeError', 'fetch failed', 'network'],
  ['Error', 'socket hang up', 'network'],
  // server_error
  ['InternalServerError', '500 The server had an error while processing your request.', 'server_error'],
  ['APIError', '529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}', 'server_error'],
  ['Error', '503 Service Unavailable', 'server_error'],
  ['Error', 'transfer service unavailable', 'server_error'],
  ['Error', 'Bad Gateway', 'server_error'],
  // invalid_request
  ['BadRequestError', "400 Invalid value for 'temperature': expected a number <= 2", 'invalid_request'],
  ['NotFoundError', '404 The model `gpt-5-mega` does not exist', 'invalid_request'],
  ['UnprocessableEntityError', '422 Unprocessable Entity', 'invalid_request'],
  ['ZodError', 'Validation failed: messages[0].role', 'invalid_request'],
  // other
  ['Error', 'something odd happened', 'other'],
  ['TypeError', "Cannot read properties of undefined (reading 'choices')", 'other'],
  [null, null, 'other'],
  ['', '', 'other'],
];

describe('the error pattern library', () => {
  for (const [type, message, pattern] of CASES) {
    it(`files ${JSON.stringify(type)} ${JSON.stringify(message)} under ${pattern}`, () => {
      expect(classifyError(type, message)).toBe(pattern);
    });
  }

  it('has a case for every pattern', () => {
    expect(new Set(CASES.map(([, , pattern]) => pattern))).toEqual(new Set(ERROR_PATTERNS));
  });

  it('reads an HTTP status leading the text, in parentheses or after status/code/HTTP, and nothing else', () => {
    expect(httpStatusOf('429 Rate limit')).toBe(429);
    expect(httpStatusOf('failed (503)')).toBe(503);
    expect(httpStatusOf('Request failed with status code 502')).toBe(502);
    expect(httpStatusOf('HTTP/1.1 404 Not Found')).toBe(404);
    expect(httpStatusOf('retrying after 500 ms')).toBeUndefined();
    expect(httpStatusOf('200 OK')).toBeUndefined();
    expect(httpStatusOf('tokens 4290')).toBeUndefined();
  });

  it('lets wording win over the status: a 400 about the context window is a context-length error', () => {
    expect(classifyError('BadRequestError', '400 context_length_exceeded')).toBe('context_length');
    expect(classifyError(null, '400 Bad Request')).toBe('invalid_request');
    expect(classifyError(null, '418 I am a teapot')).toBe('invalid_request');
  });
});
