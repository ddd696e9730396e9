/**
 * Detectors for personal health information in free text. Each one prefers missing an odd
 * format to flagging ordinary prose: a pre-upload warning that cries wolf on every dataset gets
 * clicked through. Identifiers that are only meaningful with a label (medical record numbers,
 * dates of birth, unseparated social security numbers) are only reported next to that label;
 * documentation placeholders (example.com addresses, 555-01xx numbers, 123-45-6789) are skipped.
 */

export type PhiKind = 'email' | 'phone' | 'ssn' | 'mrn' | 'dateOfBirth' | 'streetAddress';

export const PHI_KINDS: readonly PhiKind[] = ['email', 'phone', 'ssn', 'mrn', 'dateOfBirth', 'streetAddress'];

/** How each kind is named in messages: [one, many]. */
export const PHI_KIND_LABELS: Record<PhiKind, readonly [string, string]> = {
  email: ['email address', 'email addresses'],
  phone: ['phone number', 'phone numbers'],
  ssn: ['social security number', 'social security numbers'],
  mrn: ['medical record number', 'medical record numbers'],
  dateOfBirth: ['date of birth', 'dates of birth'],
  streetAddress: ['street address', 'street addresses'],
};

/** One hit inside a string: UTF-16 offsets into that string. */
export interface PhiHit {
  kind: PhiKind;
  start: number;
  end: number;
  text: string;
}

type Detector = (text: string) => PhiHit[];

function hits(kind: PhiKind, text: string, re: RegExp, accept: (m: RegExpExecArray) => boolean = () => true): PhiHit[] {
  const out: PhiHit[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    if (accept(m)) out.push({ kind, start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  return out;
}

// --- email ----------------------------------------------------------------------------------

const EMAIL = /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,63})@([A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9-]{1,63})*\.[A-Za-z]{2,24})(?![\w-]|\.[A-Za-z0-9])/g;

/** RFC 2606 / 6761 names reserved for documentation and tests. */
function isReservedDomain(domain: string): boolean {
  const d = domain.toLowerCase();
  return (
    /(^|\.)example\.(com|net|org)$/.test(d) ||
    /\.(example|test|invalid|localhost)$/.test(d)
  );
}

const email: Detector = (text) => hits('email', text, EMAIL, (m) => !isReservedDomain(m[1]));

// --- phone numbers ------------------------------------------------------------------------------

// North American numbers need separators ("555-234-5678", "(555) 234 5678", "+1 555.234.5678"):
// a bare run of ten digits is as likely an order number or a timestamp.
const NANP = /(?<![\w+.\/-])(?:\+?1[ .-]?)?(?:\((\d{3})\)[ .-]?|(\d{3})[ .-])(\d{3})[ .-](\d{4})(?![\w\/-]|\.\d)/g;
// International numbers must start with "+" and a country code other than 1.
const INTERNATIONAL = /(?<![\w+])\+[2-9]\d{0,2}(?:[ .-]?\(?\d{1,4}\)?){2,6}(?![\w\/-]|\.\d)/g;

function acceptNanp(m: RegExpExecArray): boolean {
  const area = m[1] ?? m[2];
  const exchange = m[3];
  const line = m[4];
  if (!/^[2-9]/.test(area) || !/^[2-9]/.test(exchange)) return false;
  // 555-0100 to 555-0199 are reserved for fiction.
  if (exchange === '555' && /^01/.test(line)) return false;
  return true;
}

function acceptInternational(m: RegExpExecArray): boolean {
  const digits = m[0].replace(/\D/g, '').length;
  return digits >= 8 && digits <= 15;
}

const phone: Detector = (text) => [...hits('phone', text, NANP, acceptNanp), ...hits('phone', text, INTERNATIONAL, acceptInternational)];

// --- social security numbers ---------------------------------------------------------------------

const SSN_DASHED = /(?<![\w.\/-])(\d{3})-(\d{2})-(\d{4})(?![\w\/-]|\.\d)/g;
const SSN_LABELLED = /\b(?:SSN|SS#|social security(?: number| no\.?| #)?)\s*(?:is|was|[:#=])?\s*(\d{3})[ -]?(\d{2})[ -]?(\d{4})(?![\w-])/gi;
const SSN_PLACEHOLDERS = new Set(['123456789', '078051120', '219099999']);

function validSsn(area: string, group: string, serial: string): boolean {
  if (area === '000' || area === '666' || area[0] === '9') return false;
  if (group === '00' || serial === '0000') return false;
  return !SSN_PLACEHOLDERS.has(area + group + serial);
}

const ssn: Detector = (text) => [
  ...hits('ssn', text, SSN_DASHED, (m) => validSsn(m[1], m[2], m[3])),
  ...hits('ssn', text, SSN_LABELLED, (m) => validSsn(m[1], m[2], m[3])),
];

// --- medical record numbers ------------------------------------------------------------------------

// Only with a label: "MRN 00123456", "medical record #: A-4471902", "patient ID 7731902".
const MRN = /\b(?:MRN|medical record(?: number| no\.?| #)?|patient (?:ID|number|no\.?)|chart (?:number|no\.?|#))\s*(?:is\s+|was\s+|[:#=]\s*|no\.?\s*)?([A-Z]{0,3}-?\d[\d-]{3,14}\d)(?![\w-])/gi;

const mrn: Detector = (text) => hits('mrn', text, MRN, (m) => m[1].replace(/\D/g, '').length >= 5);

// --- dates of birth -------------------------------------------------------------------------------

const MONTHS = 'Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?';
const DATE =
  `(?:(\\d{1,2})[\\/.-](\\d{1,2})[\\/.-](\\d{4}|\\d{2})` + // 3/14/1985, 14.03.85
  `|(\\d{4})-(\\d{1,2})-(\\d{1,2})` + // 1985-03-14
  `|(?:${MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})` + // March 14, 1985
  `|(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(?:${MONTHS})\\.?,?\\s+(\\d{4}))`; // 14 March 1985
// A full date right after a birth label; a year alone ("born in 1985") is not an identifier.
const DOB = new RegExp(
  `\\b(?:DOB|D\\.O\\.B\\.?|date of birth|birth ?date|born(?: on)?|birthday(?: is)?)\\s*(?:is\\s+|was\\s+|[:=-]\\s*|,\\s*)?(?:on\\s+)?${DATE}(?!\\w)`,
  'gi',
);

function plausibleDay(a: number, b: number): boolean {
  // Either month/day or day/month.
  return (a >= 1 && a <= 12 && b >= 1 && b <= 31) || (b >= 1 && b <= 12 && a >= 1 && a <= 31);
}

function acceptDob(m: RegExpExecArray): boolean {
  if (m[1] !== undefined) return plausibleDay(Number(m[1]), Number(m[2]));
  if (m[4] !== undefined) {
    const month = Number(m[5]);
    const day = Number(m[6]);
    return month >= 1 && month <= 12 && day >= 1 && day <= 31;
  }
  const day = Number(m[7] ?? m[9]);
  return day >= 1 && day <= 31;
}

const dateOfBirth: Detector = (text) => hits('dateOfBirth', text, DOB, acceptDob);

// --- street addresses ------------------------------------------------------------------------------

// Suffixes that, after a house number and a capitalised name, are almost always a street.
const STRONG_SUFFIX = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Parkway|Pkwy|Highway|Hwy';
// Suffixes that are also ordinary words ("9 Supreme Court justices", "the 3 Best Way"): only
// with an address cue around them (see below).
const WEAK_SUFFIX = 'Court|Ct|Place|Pl|Way|Circle|Cir|Square|Sq|Terrace|Ter|Trail|Trl|Dr';
const NAME_WORD = "(?:[NSEW]\\.?|[A-Z][a-z'’]+|[A-Z]{2,}|\\d{1,3}(?:st|nd|rd|th))";
const ADDRESS = new RegExp(
  `(?<![\\w.,\\/-])(\\d{1,6}[A-Z]?)\\s+((?:${NAME_WORD}\\s+){1,4})(?:(${STRONG_SUFFIX})|(${WEAK_SUFFIX}))\\b\\.?`,
  'g',
);
const PO_BOX = /\b(?:P\.?\s?O\.?\s?Box|Post Office Box)\s+\d{1,6}\b/gi;
const ADDRESS_CUE_BEFORE = /\b(?:at|address(?: is)?|live[sd]? (?:at|on)|living (?:at|on)|reside[sd]? (?:at|on)|located at|moved to|home (?:is )?(?:at|on))\s*:?\s*$/i;
const ADDRESS_CUE_AFTER = /^\.?\s*(?:,\s*(?:(?:Apt|Apartment|Suite|Ste|Unit|#)\b|[A-Z][a-z]+)|\s*(?:Apt|Apartment|Suite|Ste|Unit)\b|\s*#\s*\d|,?\s*\d{5}(?:-\d{4})?\b)/;
/** Title words that end a sentence's "number + Capitalised" phrase without being street names. */
const NOT_STREET_NAMES = new Set(['The', 'A', 'An', 'Of', 'And', 'In', 'On', 'For', 'To', 'Best', 'Easy', 'Simple', 'Top', 'Great', 'Good', 'Supreme', 'High', 'New']);

function acceptAddress(text: string, m: RegExpExecArray): boolean {
  const names = m[2].trim().split(/\s+/);
  if (names.every((w) => NOT_STREET_NAMES.has(w))) return false;
  if (m[3] !== undefined) return true;
  const before = text.slice(Math.max(0, m.index - 40), m.index);
  const after = text.slice(m.index + m[0].length, m.index + m[0].length + 40);
  return ADDRESS_CUE_BEFORE.test(before) || ADDRESS_CUE_AFTER.test(after);
}

const streetAddress: Detector = (text) => [
  ...hits('streetAddress', text, ADDRESS, (m) => acceptAddress(text, m)),
  ...hits('streetAddress', text, PO_BOX),
];

// -------------------------------------------------------------------------------------------------

const DETECTORS: Detector[] = [email, phone, ssn, mrn, dateOfBirth, streetAddress];

/** Every hit in a string, in order of position. Overlapping hits keep the earlier, longer one. */
export function detectPhi(text: string): PhiHit[] {
  if (text.length < 5 || !/\d|@/.test(text)) return [];
  const all = DETECTORS.flatMap((d) => d(text)).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: PhiHit[] = [];
  for (const h of all) {
    const prev = out[out.length - 1];
    if (prev && h.start < prev.end) continue;
    out.push(h);
  }
  return out;
}

/**
 * A form of a hit that shows what was found without repeating it: digits but the last two and
 * an email's local part (but its first character) are starred.
 */
export function maskPhi(hit: Pick<PhiHit, 'kind' | 'text'>): string {
  if (hit.kind === 'email') {
    const at = hit.text.indexOf('@');
    return `${hit.text[0]}***${hit.text.slice(at)}`;
  }
  const digits = hit.text.replace(/\D/g, '').length;
  let seen = 0;
  return hit.text.replace(/\d/g, (d) => (++seen > digits - 2 && hit.kind !== 'streetAddress' ? d : '*'));
}
