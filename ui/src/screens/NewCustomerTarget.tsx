import { FieldShell } from '../widgets/FieldShell';
import { hiddenCreateProblems } from '../state/drafts';
import { setPartnerCustomerId } from '../state/editor';
import { openTarget } from '../state/navigation';
import { fieldShownIssues, markTouched } from '../state/touched';

const PATH = 'partner_customer_id';
const ID = 'fld-partner_customer_id';

/** A new customer's `partner_customer_id`, on top of the form (part of the draft's target). */
export function NewCustomerTarget() {
  const t = openTarget.value;
  if (t?.kind !== 'create') return null;
  const issues = fieldShownIssues(PATH).value;
  const hidden = hiddenCreateProblems.value;
  const described = [`${ID}-hint`, issues.length ? `${ID}-error` : '', hidden ? `${ID}-create-note` : ''].filter(Boolean).join(' ');
  return (
    <fieldset class="section" id="new-customer-target" data-testid="new-customer-target">
      <legend class="section__legend">New customer</legend>
      <div class="grid">
        <FieldShell id={ID} path={PATH} label="Partner customer ID" required hint="Your own reference for this customer at the partner, e.g. P-2001." issues={issues}>
          <input
            id={ID}
            name={PATH}
            data-testid={ID}
            class="input input--mono"
            type="text"
            autoComplete="off"
            spellcheck={false}
            value={t.partner_customer_id}
            aria-required="true"
            aria-invalid={issues.length ? 'true' : undefined}
            aria-describedby={described}
            onInput={(e) => {
              markTouched(PATH);
              setPartnerCustomerId(e.currentTarget.value);
            }}
          />
        </FieldShell>
        {hidden > 0 && (
          <p class="field__note field--wide" id={`${ID}-create-note`} data-testid="create-rules-note">
            The create rules report {hidden === 1 ? '1 more problem' : `${hidden} more problems`} not shown on a field (for example in the
            partner customer ID); queueing lists {hidden === 1 ? 'it' : 'them'}.
          </p>
        )}
      </div>
    </fieldset>
  );
}
