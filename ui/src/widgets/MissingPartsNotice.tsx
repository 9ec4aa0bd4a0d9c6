import type { MissingPart } from '../types';

/**
 * The parts the partner did not return for this customer, and which of them must be filled in
 * before a submit that sends them (validation asks for their fields then).
 */
export function MissingPartsNotice({ parts }: { parts: MissingPart[] }) {
  if (parts.length === 0) return null;
  const required = parts.filter((p) => p.required);
  return (
    <aside class="missing-parts" data-testid="missing-parts" aria-label="Parts the partner did not return">
      <strong>The partner’s answer did not include {parts.length === 1 ? 'this part' : 'these parts'}:</strong>
      <ul>
        {parts.map((p) => (
          <li key={p.path} data-testid="missing-part" data-path={p.path}>
            {p.label}
            {p.required ? ' — fill it in before submitting' : ' — optional'}
          </li>
        ))}
      </ul>
      {required.length > 0 && (
        <p>
          A submit sends the whole record, so the required fields of {required.length === 1 ? 'this part' : 'these parts'} must be filled in
          again; the check before submitting names each one.
        </p>
      )}
    </aside>
  );
}
