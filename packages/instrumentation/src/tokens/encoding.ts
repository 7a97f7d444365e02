/** The BPE encodings we load; o200k for current OpenAI models, cl100k for the rest. */
export type EncodingName = 'o200k_base' | 'cl100k_base';

const O200K_MODELS = /^(?:.*\/)?(?:gpt-4o|chatgpt-4o|gpt-4\.1|gpt-4\.5|gpt-5|gpt-oss|o1|o3|o4)/i;

/**
 * Encoding for a model name. Models of other vendors (Claude, Gemini, Llama…) use their own
 * tokenizers; cl100k is the usual stand-in and the count is marked estimated anyway.
 */
export function toEncodingName(model: string | undefined): EncodingName {
  return model !== undefined && O200K_MODELS.test(model) ? 'o200k_base' : 'cl100k_base';
}
