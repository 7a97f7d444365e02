// Built-in redaction of captured content. Patterns err on the side of redacting:
// a false positive hides a number, a false negative leaks one.

const API_KEY =
  /\b(?:sk-ant-[A-Za-z0-9_-]{16,}|sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,})\b/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi;
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
// 13–19 digits, optionally grouped by spaces or dashes; checked with Luhn before redacting.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
// International or North American numbers with separators; 7+ digits in all.
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?!\w)/g;

// Dates have the phone pattern's shape; keep them.
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/;

function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function countDigits(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/** Replaces API keys, bearer tokens, e-mail addresses, card numbers and phone numbers with placeholders. */
export function redactText(text: string): string {
  return text
    .replace(API_KEY, '[REDACTED_API_KEY]')
    .replace(BEARER, '$1[REDACTED_TOKEN]')
    .replace(EMAIL, '[REDACTED_EMAIL]')
    .replace(CARD, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? '[REDACTED_CARD]' : match))
    .replace(PHONE, (match) => (countDigits(match) >= 7 && !DATE.test(match) ? '[REDACTED_PHONE]' : match));
}
