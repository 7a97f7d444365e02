// Built-in redaction of captured content. Patterns err on the side of redacting:
// a false positive hides a number, a false negative leaks one.

const API_KEY =
  /\b(?:sk-ant-[A-Za-z0-9_-]{16,}|sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,})\b/g;
const BEARER = /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{16,}/gi;
// 13–19 digits, optionally grouped by spaces or dashes; checked with Luhn before redacting.
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
// International or North American numbers with separators; 7+ digits in all.
const PHONE = /(?<![\w+])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){1,4}(?!\w)/g;

// Dates have the phone pattern's shape; keep them.
const DATE = /^\d{4}[-./]\d{1,2}[-./]\d{1,2}$|^\d{1,2}[-./]\d{1,2}[-./]\d{4}$/;

// E-mail addresses are the matches of /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, found
// from each '@' outward instead: that pattern tries a local part from every position, and on a
// long run of letters (or 'a.a.a…') with no '@' each try runs to the end: quadratic time, seconds
// for 100k characters. From the '@' each character is read a bounded number of times.
const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isDigit = (c: number): boolean => c >= 48 && c <= 57;
/** `A-Za-z0-9 . -` */
const isDomainChar = (c: number): boolean => isLetter(c) || isDigit(c) || c === 46 || c === 45;
/** `A-Za-z0-9 . _ % + -` */
const isLocalChar = (c: number): boolean => isDomainChar(c) || c === 95 || c === 37 || c === 43;

/** End of the domain of an address whose '@' is just before `from` (`[A-Za-z0-9.-]+\.[A-Za-z]{2,}`, longest), or -1. */
function domainEnd(text: string, from: number): number {
  let runEnd = from;
  while (runEnd < text.length && isDomainChar(text.charCodeAt(runEnd))) runEnd++;
  // The last '.' with a character before it (after the '@') and two letters or more after it.
  for (let dot = runEnd - 3; dot > from; dot--) {
    if (text.charCodeAt(dot) !== 46 || !isLetter(text.charCodeAt(dot + 1)) || !isLetter(text.charCodeAt(dot + 2))) continue;
    let end = dot + 3;
    while (end < runEnd && isLetter(text.charCodeAt(end))) end++;
    return end;
  }
  return -1;
}

function redactEmails(text: string): string {
  let redacted = '';
  /** End of the last address: text before it is in `redacted`. */
  let done = 0;
  for (let at = text.indexOf('@'); at !== -1; at = text.indexOf('@', at + 1)) {
    let start = at;
    while (start > done && isLocalChar(text.charCodeAt(start - 1))) start--;
    if (start === at) continue;
    const end = domainEnd(text, at + 1);
    if (end === -1) continue;
    redacted += `${text.slice(done, start)}[REDACTED_EMAIL]`;
    done = end;
  }
  return done === 0 ? text : redacted + text.slice(done);
}

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
    if (isDigit(text.charCodeAt(i))) n++;
  }
  return n;
}

/** Replaces API keys, bearer tokens, e-mail addresses, card numbers and phone numbers with placeholders. */
export function redactText(text: string): string {
  return redactEmails(text.replace(API_KEY, '[REDACTED_API_KEY]').replace(BEARER, '$1[REDACTED_TOKEN]'))
    .replace(CARD, (match) => (passesLuhn(match.replace(/[ -]/g, '')) ? '[REDACTED_CARD]' : match))
    .replace(PHONE, (match) => (countDigits(match) >= 7 && !DATE.test(match) ? '[REDACTED_PHONE]' : match));
}
