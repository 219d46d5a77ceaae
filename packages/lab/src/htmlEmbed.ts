/**
 * Safe embedding in a self-contained HTML page (the standalone report, plotModel's HTML files):
 * JSON in a `<script type="application/json">`, script text in `<script>`, text in HTML.
 */

/**
 * JSON for a `<script type="application/json">` element: `<`, `>`, `&` and the JavaScript line
 * separators are written as `\u` escapes, so no value (a column named `</script>...`) can end
 * the element or open a comment; `JSON.parse` reads the text back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Script text safe inside `<script>`: `</script` and `<!--` (which would end the element or
 * change how it is parsed) become `\x3C/script` and `\x3C!--`, identical inside JavaScript
 * strings, template literals and regular expressions, where alone they can occur.
 */
export function scriptForHtml(js: string): string {
  return js.replace(/<(?=\/script|!--)/gi, "\\x3C");
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
}
