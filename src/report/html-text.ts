/** Text escaping for the HTML report: element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')
}

/** JSON that cannot end the script element it sits in. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replaceAll('<', '\\u003c').replaceAll('\u2028', '\\u2028').replaceAll('\u2029', '\\u2029')
}

/**
 * A library's source as inline script text: no source-map comment (nothing to fetch from a
 * file:// page) and no `</script` that would end the element early.
 */
export function scriptForInline(source: string): string {
  return source.replaceAll(/^\/\/# sourceMappingURL=.*$/gm, '').replaceAll(/<\/(script)/gi, '<\\/$1')
}
