/**
 * Keeps secrets (client secret, refresh token, access tokens, pre-authenticated download URLs) out
 * of every message the Graph backend hands on: each known secret is replaced by a placeholder.
 */
export class Redactor {
  private readonly secrets = new Set<string>();

  add(secret: string | undefined): void {
    if (secret && secret.length >= 4) this.secrets.add(secret);
  }

  clean(text: string): string {
    let value = text;
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) value = value.split(secret).join('[redacted]');
    // anything that looks like a bearer token or a signed query string
    return value
      .replace(/Bearer\s+[A-Za-z0-9._~+/=-]+/g, 'Bearer [redacted]')
      .replace(/\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g, '[redacted]')
      .replace(/([?&](?:sig|token|code|access_token|refresh_token|client_secret|se|sv|st|sp|skoid|sktid)=)[^&\s"']+/gi, '$1[redacted]');
  }
}
