/** Small pieces of HTML that echolab's report pages share. */

/** Text safe inside an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  const entity: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&#39;' };
  return text.replace(/[<>&"']/g, (c) => entity[c]);
}

/** A line of a feature's prose: `code` as code, the rest as text. */
export const inline = (text: string) => escapeHtml(text).replace(/`([^`]+)`/g, '<code>$1</code>');

/**
 * A feature's description as HTML: paragraphs where the text has blank lines, and a list
 * where its lines start with "- " (a line that does not continues the item before it).
 */
export function prose(description: string): string {
  const paragraphs = description.split(/\n\s*\n/).map((p) => p.split('\n').map((line) => line.trim()).filter(Boolean)).filter((p) => p.length > 0);
  return paragraphs.map((lines) => {
    if (!lines[0].startsWith('- ')) return `<p>${inline(lines.join(' '))}</p>`;
    const items: string[] = [];
    for (const line of lines) {
      if (line.startsWith('- ')) items.push(line.slice(2));
      else items[items.length - 1] += ` ${line}`;
    }
    return `<ul>${items.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`;
  }).join('\n');
}

/** A whole page, its style inline: nothing to fetch, so it opens from a CI artifact as it is. */
export function page(title: string, style: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${style}</style>`,
    '</head>',
    `<body>\n${body}\n</body>`,
    '</html>',
    '',
  ].join('\n');
}

/** The look both pages share: readable prose, charts as wide as the page allows. */
export const BASE_STYLE = `
body { font-family: system-ui, sans-serif; line-height: 1.45; color: #222; margin: 0 auto; padding: 1rem 2rem 3rem; max-width: 1100px; }
code { font-family: ui-monospace, monospace; font-size: 0.92em; background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; }
a { color: #1f5fa0; }
svg { max-width: 100%; height: auto; display: block; }
`;
