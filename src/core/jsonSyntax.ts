/**
 * Locates the first syntax error in a line that `JSON.parse` rejected, with a message a data
 * author understands. `JSON.parse` itself gives no reliable position across engines, so this is
 * a small strict JSON (RFC 8259) recogniser. It is iterative: deeply nested input cannot
 * overflow the stack.
 */
export interface SyntaxProblem {
  /** UTF-16 offset of the offending character (may equal text.length at end of line). */
  offset: number;
  /** Length of the offending token, at least 0. */
  length: number;
  message: string;
}

const enum Expect {
  Value,
  FirstValueOrEnd, // just after '['
  FirstKeyOrEnd, // just after '{'
  Key, // after ',' in an object
  Colon,
  CommaOrEndObject,
  CommaOrEndArray,
}

function describe(ch: string): string {
  const code = ch.codePointAt(0)!;
  // NUL bytes between the characters are what a UTF-16 file looks like read as UTF-8.
  if (code === 0) return 'control character U+0000 (a NUL byte: a file saved as UTF-16? save it as UTF-8)';
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (ch === '\uFFFD') return 'invalid byte (not UTF-8)';
  if (ch === '\uFEFF') return 'byte order mark (U+FEFF)';
  return `'${ch}'`;
}

const WS = new Set([' ', '\t', '\n', '\r']);

export function locateJsonError(text: string): SyntaxProblem | undefined {
  const stack: ('{' | '[')[] = [];
  let expect: Expect = Expect.Value;
  let i = 0;
  const n = text.length;
  let sawValue = false;

  const skipWs = () => {
    while (i < n && WS.has(text[i])) i++;
  };

  const endOfLine = (): SyntaxProblem => {
    const open = stack[stack.length - 1];
    let message: string;
    if (!sawValue && stack.length === 0) message = 'The line is empty';
    else if (expect === Expect.Colon) message = "The line ends after a property name: expected ':' and a value";
    else if (expect === Expect.Key || expect === Expect.Value) message = 'The line ends where a value was expected: the record is cut off';
    else if (open === '{') message = `The line ends inside an object: missing '}'${stack.length > 1 ? ` (${stack.length} brackets left open)` : ''}`;
    else if (open === '[') message = `The line ends inside a list: missing ']'${stack.length > 1 ? ` (${stack.length} brackets left open)` : ''}`;
    else message = 'Unexpected end of line';
    return { offset: n, length: 0, message };
  };

  /** Scans a string starting at the opening quote; returns a problem or advances i. */
  const scanString = (role: 'key' | 'value'): SyntaxProblem | undefined => {
    const start = i;
    i++;
    while (i < n) {
      const ch = text[i];
      if (ch === '"') {
        i++;
        return undefined;
      }
      if (ch === '\\') {
        const esc = text[i + 1];
        if (esc === undefined) break;
        if ('"\\/bfnrt'.includes(esc)) {
          i += 2;
          continue;
        }
        if (esc === 'u') {
          const hex = text.slice(i + 2, i + 6);
          if (/^[0-9a-fA-F]{4}$/.test(hex)) {
            i += 6;
            continue;
          }
          return { offset: i, length: Math.min(6, n - i), message: `Invalid unicode escape '\\u${hex}': expected four hex digits` };
        }
        return { offset: i, length: 2, message: `Invalid escape '\\${esc}' in a string (valid: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)` };
      }
      const code = ch.charCodeAt(0);
      if (code < 0x20) {
        return {
          offset: i,
          length: 1,
          message: `${describe(ch)[0].toUpperCase()}${describe(ch).slice(1)} inside a string must be escaped${code === 0x0a ? ' as \\n' : code === 0x09 ? ' as \\t' : ''}`,
        };
      }
      i++;
    }
    return { offset: start, length: n - start, message: `Unterminated ${role === 'key' ? 'property name' : 'string'}: missing closing '"'` };
  };

  const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
  const scanScalar = (): SyntaxProblem | undefined => {
    const ch = text[i];
    if (ch === '"') return scanString('value');
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      const end = m ? i + m[0].length : i;
      const next = text[end];
      if (!m || m[0] === '-' || (next !== undefined && /[0-9.eE+\-a-zA-Z_]/.test(next))) {
        let j = i + 1;
        while (j < n && /[0-9.eE+\-a-zA-Z_]/.test(text[j])) j++;
        return { offset: i, length: j - i, message: `Invalid number '${text.slice(i, Math.min(j, i + 40))}'` };
      }
      i = end;
      return undefined;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        const next = text[i + word.length];
        if (next === undefined || !/[A-Za-z0-9_]/.test(next)) {
          i += word.length;
          return undefined;
        }
      }
    }
    let j = i;
    while (j < n && /[A-Za-z0-9_$.+-]/.test(text[j])) j++;
    const word = text.slice(i, j);
    if (word === 'NaN' || word === 'Infinity' || word === '-Infinity') return { offset: i, length: j - i, message: `${word} is not valid JSON: use null or a number` };
    if (ch === "'") return { offset: i, length: 1, message: 'Strings must use double quotes, not single quotes' };
    if (word === 'True' || word === 'False' || word === 'None') {
      return { offset: i, length: j - i, message: `'${word}' is Python, not JSON: use ${word === 'None' ? 'null' : word.toLowerCase()}` };
    }
    if (word.length > 0) return { offset: i, length: j - i, message: `Unexpected word '${word.slice(0, 40)}': strings must be in double quotes` };
    return { offset: i, length: 1, message: `Unexpected ${describe(String.fromCodePoint(text.codePointAt(i)!))} where a value was expected` };
  };

  while (true) {
    skipWs();
    if (stack.length === 0 && sawValue) {
      if (i >= n) return undefined;
      const rest = text.slice(i).trimStart();
      const message = rest.startsWith('{') || rest.startsWith('[')
        ? 'A second JSON value on the same line: each record must be on its own line'
        : `Unexpected ${describe(String.fromCodePoint(text.codePointAt(i)!))} after the end of the record`;
      return { offset: i, length: 1, message };
    }
    if (i >= n) return endOfLine();
    const ch = text[i];
    switch (expect) {
      case Expect.Value:
      case Expect.FirstValueOrEnd: {
        if (expect === Expect.FirstValueOrEnd && ch === ']') {
          i++;
          stack.pop();
          break;
        }
        if (ch === ']' && stack[stack.length - 1] === '[') {
          return { offset: text.lastIndexOf(',', i), length: 1, message: "Trailing comma before ']': remove the comma" };
        }
        if (ch === '{') {
          stack.push('{');
          i++;
          expect = Expect.FirstKeyOrEnd;
          continue;
        }
        if (ch === '[') {
          stack.push('[');
          i++;
          expect = Expect.FirstValueOrEnd;
          continue;
        }
        const problem = scanScalar();
        if (problem) return problem;
        break;
      }
      case Expect.FirstKeyOrEnd:
      case Expect.Key: {
        if (ch === '}') {
          if (expect === Expect.Key) return { offset: text.lastIndexOf(',', i), length: 1, message: "Trailing comma before '}': remove the comma" };
          i++;
          stack.pop();
          break;
        }
        if (ch === '"') {
          const problem = scanString('key');
          if (problem) return problem;
          expect = Expect.Colon;
          continue;
        }
        if (ch === "'") return { offset: i, length: 1, message: 'Property names must use double quotes, not single quotes' };
        return { offset: i, length: 1, message: `Expected a property name in double quotes, found ${describe(String.fromCodePoint(text.codePointAt(i)!))}` };
      }
      case Expect.Colon: {
        if (ch === ':') {
          i++;
          expect = Expect.Value;
          continue;
        }
        return { offset: i, length: 1, message: `Expected ':' after the property name, found ${describe(String.fromCodePoint(text.codePointAt(i)!))}` };
      }
      case Expect.CommaOrEndObject: {
        if (ch === ',') {
          i++;
          expect = Expect.Key;
          continue;
        }
        if (ch === '}') {
          i++;
          stack.pop();
          break;
        }
        return { offset: i, length: 1, message: `Expected ',' or '}' after a property value, found ${describe(String.fromCodePoint(text.codePointAt(i)!))}` };
      }
      case Expect.CommaOrEndArray: {
        if (ch === ',') {
          i++;
          expect = Expect.Value;
          continue;
        }
        if (ch === ']') {
          i++;
          stack.pop();
          break;
        }
        return { offset: i, length: 1, message: `Expected ',' or ']' after a list item, found ${describe(String.fromCodePoint(text.codePointAt(i)!))}` };
      }
    }
    // A value (scalar or closed container) was completed.
    sawValue = true;
    const top = stack[stack.length - 1];
    expect = top === '{' ? Expect.CommaOrEndObject : top === '[' ? Expect.CommaOrEndArray : Expect.Value;
  }
}
