import { describe, expect, it } from 'vitest';
import { terminalText } from '../../common/terminal-text.js';

describe('terminalText', () => {
  it.each([
    ['plain text and Unicode stay', 'Zoë Ångström 日本, "x"', 'Zoë Ångström 日本, "x"'],
    ['tab and newline in data are shown: a name never starts a line of its own', 'a\tb\nc', 'a\\x09b\\x0ac'],
    ['CRLF is shown', 'a\r\nb', 'a\\x0d\\x0ab'],
    ['a lone CR is shown', 'Contoso\rEvil', 'Contoso\\x0dEvil'],
    ['a CR at the end is shown', 'x\r', 'x\\x0d'],
    ['ESC of a colour sequence is shown', 'Red\x1b[31mName', 'Red\\x1b[31mName'],
    ['NUL, BEL, backspace, vertical tab, form feed', '\0\x07\b\v\f', '\\x00\\x07\\x08\\x0b\\x0c'],
    ['DEL', 'a\x7fb', 'a\\x7fb'],
    ['C1 controls (CSI, NEL, OSC)', '\x9b31m\x85\x9d', '\\x9b31m\\x85\\x9d'],
    ['the first printable Latin-1 character stays', '\xa0é', '\xa0é'],
  ])('%s', (_what, input, expected) => {
    expect(terminalText(input)).toBe(expected);
  });
});
