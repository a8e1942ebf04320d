/**
 * Control characters that data (tenant names, service messages, paths) must not carry to a
 * terminal: C0 controls but tab and newline, a CR that does not end a line (CRLF), DEL and the C1
 * controls U+0080–U+009F. They could move the cursor, overwrite a line, recolour or retitle the terminal.
 */
const unsafe = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|\r(?!\n)/g;

/** Text made safe for a terminal: each unsafe control character becomes a visible escape such as `\x1b`. */
export function terminalText(text: string): string {
  return text.replace(unsafe, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
