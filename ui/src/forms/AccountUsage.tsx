import { AmountField } from '../fields/AmountField';
import { Picker } from '../fields/Picker';
import { TextField } from '../fields/TextField';
import { FIELD_LABELS as L, SECTION_LABELS } from '../state/labels';
import { countryOptions, currencyOptions, productReferenceOptions } from '../state/options';
import { Section } from './Section';

const S = 'account_usage';

export function AccountUsage() {
  return (
    <Section path={S} legend={SECTION_LABELS[S]} intro="Optional section.">
      <Picker path={`${S}.operating_country`} label={L.operating_country!} options={countryOptions.value} />
      <Picker path={`${S}.account_usage_product_reference`} label={L.account_usage_product_reference!} options={productReferenceOptions.value} />
      <TextField path={`${S}.goods_service_description`} label={L.goods_service_description!} multiline spellcheck />
      <TextField path={`${S}.industry_category_code`} label={L.industry_category_code!} hint="MCC, NAICS, NACE or ISIC, e.g. 5734 or J62.01" />
      <div class="field-pair">
        <AmountField path={`${S}.estimated_monthly_revenue_amount`} label={L.estimated_monthly_revenue_amount!} hint="Decimal with a dot, e.g. 185000.00; give amount and currency together." />
        <Picker path={`${S}.estimated_monthly_revenue_currency`} label={L.estimated_monthly_revenue_currency!} options={currencyOptions.value} hint="ISO 4217, e.g. USD" />
      </div>
    </Section>
  );
}
