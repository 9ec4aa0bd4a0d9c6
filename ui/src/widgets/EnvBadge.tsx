import type { EnvironmentView } from '../types';

/** `#rgb`/`#rrggbb`(`aa`) only: a colour from settings is drawn as an SVG fill, never as CSS. */
export function safeColour(c: string | undefined | null): string | null {
  return typeof c === 'string' && /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(c.trim()) ? c.trim() : null;
}

/** A small swatch of an environment's colour (SVG presentation attribute: allowed by a strict CSP). */
export function ColourSwatch({ colour, label }: { colour: string; label?: string }) {
  const c = safeColour(colour);
  if (!c) return null;
  return (
    <svg class="swatch" width="12" height="12" viewBox="0 0 12 12" role={label ? 'img' : undefined} aria-label={label} aria-hidden={label ? undefined : 'true'}>
      <rect x="0.5" y="0.5" width="11" height="11" rx="2" fill={c} stroke="currentColor" stroke-opacity="0.4" />
    </svg>
  );
}

/**
 * The loud environment badge: SANDBOX for the built-in sandbox, PRODUCTION in red, else the name
 * (cut with an ellipsis when long; the full name is its title).
 */
export function EnvBadge({ env }: { env: EnvironmentView | null }) {
  if (!env) return null;
  const kind = env.is_production ? 'production' : env.built_in ? 'sandbox' : 'other';
  const text = env.is_production ? 'PRODUCTION' : env.built_in ? 'SANDBOX' : env.name.toUpperCase();
  return (
    <span class={`env-badge env-badge--${kind}`} data-testid="env-badge" data-env-kind={kind} title={env.is_production ? `PRODUCTION: ${env.name}` : env.name}>
      {!env.is_production && <ColourSwatch colour={env.colour} />}
      {env.is_production && <span aria-hidden="true">⚠ </span>}
      <span class="env-badge__text">{text}</span>
    </span>
  );
}
