/**
 * A URL's path as the CRM's server reads it, for the adapters' pattern matching: percent-encoded
 * *unreserved* characters decoded ("%4Cead" and "Lead", "main%2Easpx" and "main.aspx" are the
 * same URI: RFC 3986 §2.3 and §6.2.2.2), everything else left encoded. An encoded "/" (%2F) is
 * not a path separator to the server, so it must not become one here; and a malformed escape
 * ("%ZZ", which decodeURIComponent throws on) stays as it is: this never throws.
 */
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

export function normalisedPath(url: URL): string {
  return url.pathname.replace(/%([0-9A-Fa-f]{2})/g, (escape, hex: string) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : escape;
  });
}
